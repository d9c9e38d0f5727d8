// 实时看板: where the candidates of a session stand (未登录 → … → 佐证已上传 / 佐证逾期), pushed live by the server
// ('dashboard:changed' on the staff socket — no polling), each count opening the list of those candidates; the
// funnel over time (echarts) and the upload of the whole session. Admin session page and support console.
import { useEffect, useRef, useState } from 'react';
import { Badge, Card, Col, Drawer, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { routes, type Dashboard, type FunnelStage } from '@invigil/contracts';
import { call } from '../api/client.ts';
import { staffSocket, watchSession } from '../api/staff-socket.ts';
import './i18n.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLOR: Record<FunnelStage, string> = {
  'not-logged-in': '#bfbfbf',
  'logged-in': '#91caff',
  'face-passed': '#69b1ff',
  'proof-bound': '#4096ff',
  entered: '#36cfc9',
  waiting: '#ffc53d',
  answering: '#1677ff',
  ended: '#9254de',
  uploaded: '#73d13d',
  'proof-uploaded': '#389e0d',
  'proof-overdue': '#f5222d',
};

export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** The dashboard of a session, kept current by the server's pushes (and refetched after a reconnect). */
function useLiveDashboard(sessionId: string) {
  const qc = useQueryClient();
  const key = ['sessions', sessionId, 'dashboard'];
  const q = useQuery({ queryKey: key, queryFn: () => call(routes.dashboard, { params: { id: sessionId } }) });
  // Live once the server joined us to the session; then refetch once, since a push may have come before.
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const s = staffSocket();
    let gone = false;
    const joinAndSync = () =>
      void watchSession(sessionId).then((ok) => {
        if (gone) return;
        setConnected(ok);
        if (ok) void qc.invalidateQueries({ queryKey: ['sessions', sessionId, 'dashboard'], exact: true });
      });
    const onPush = (d: Dashboard) => {
      if (d.sessionId !== sessionId) return;
      qc.setQueryData(['sessions', sessionId, 'dashboard'], d);
      // A list opened from a count follows too (refetched only while it is open).
      void qc.invalidateQueries({ queryKey: ['sessions', sessionId, 'dashboard', 'stage'] });
    };
    const onDisconnect = () => setConnected(false);
    s.on('dashboard:changed', onPush);
    s.on('connect', joinAndSync);
    s.on('disconnect', onDisconnect);
    if (s.connected) joinAndSync();
    return () => {
      gone = true;
      s.off('dashboard:changed', onPush);
      s.off('connect', joinAndSync);
      s.off('disconnect', onDisconnect);
    };
  }, [qc, sessionId]);
  return { ...q, connected };
}

function FunnelChart({ d }: { d: Dashboard }) {
  const { t, i18n } = useTranslation('dashboard');
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    const onResize = () => c.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // Under ten minutes of history the minutes repeat on the axis: show seconds.
    const short = d.series.length > 1 && d.series.at(-1)!.at - d.series[0]!.at < 10 * 60_000;
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: (v: number) => dayjs(v).format(short ? 'HH:mm:ss' : 'HH:mm') } },
        yAxis: { type: 'value', minInterval: 1 },
        series: d.stages.map((s, i) => ({
          name: t(`stage.${s}`),
          type: 'line',
          step: 'end',
          showSymbol: false,
          color: COLOR[s],
          data: d.series.map((p) => [p.at, p.counts[i]]),
        })),
      },
      { notMerge: true },
    );
  }, [d, t, i18n.language]);
  return <div ref={el} style={{ height: 260, width: '100%' }} data-testid="dashboard-chart" />;
}

function StageList({ sessionId, stage, onClose }: { sessionId: string; stage: FunnelStage | null; onClose: () => void }) {
  const { t } = useTranslation('dashboard');
  const list = useQuery({
    queryKey: ['sessions', sessionId, 'dashboard', 'stage', stage],
    queryFn: () => call(routes.dashboardStage, { params: { id: sessionId }, query: { stage: stage! } }),
    enabled: !!stage,
  });
  return (
    <Drawer open={!!stage} onClose={onClose} size="large" title={stage ? t('listTitle', { stage: t(`stage.${stage}`), count: list.data?.items.length ?? 0 }) : ''} data-testid="dashboard-list">
      <Table
        size="small"
        rowKey="candidateId"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('col.ticket'), dataIndex: 'ticket' },
          { title: t('col.name'), dataIndex: 'name' },
          { title: t('col.since'), dataIndex: 'since', render: (v: number | null) => (v === null ? '—' : dayjs(v).format('MM-DD HH:mm:ss')) },
        ]}
      />
    </Drawer>
  );
}

export function SessionDashboard({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('dashboard');
  const d = useLiveDashboard(sessionId);
  const [open, setOpen] = useState<FunnelStage | null>(null);
  const data = d.data;
  const up = data?.upload;
  return (
    <Card
      title={t('title')}
      size="small"
      data-testid="dashboard"
      extra={
        <Space>
          {data && <Typography.Text type="secondary">{t('total', { count: data.candidates })}</Typography.Text>}
          <Badge status={d.connected ? 'success' : 'error'} text={d.connected ? t('live') : t('offline')} />
        </Space>
      }
    >
      {d.error && <Typography.Text type="danger">{d.error.message}</Typography.Text>}
      <Row gutter={[8, 8]} wrap>
        {(data?.stages ?? []).map((s) => (
          <Col key={s} flex="1 0 104px">
            <Card size="small" hoverable onClick={() => setOpen(s)} data-testid={`stage-${s}`} styles={{ body: { padding: '8px 12px' } }} style={{ borderTop: `3px solid ${COLOR[s]}` }}>
              <Statistic title={t(`stage.${s}`)} value={data!.counts[s]} valueStyle={s === 'proof-overdue' && data!.counts[s] > 0 ? { color: '#cf1322' } : undefined} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ margin: '6px 0 12px', fontSize: 12 }}>
        {t('clickHint')}
      </Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} lg={17}>
          <Typography.Text strong>{t('chart')}</Typography.Text>
          {data && <FunnelChart d={data} />}
        </Col>
        <Col xs={24} lg={7}>
          <Typography.Text strong>{t('upload')}</Typography.Text>
          {up && (
            <div data-testid="dashboard-upload" style={{ marginTop: 12 }}>
              <Progress type="dashboard" percent={up.expected ? Math.round((up.verified / up.expected) * 100) : 0} />
              <div>{t('recordings', { verified: up.verified, expected: up.expected })}</div>
              <Typography.Text type="secondary">{t('bytes', { size: fmtBytes(up.bytes) })}</Typography.Text>
            </div>
          )}
        </Col>
      </Row>
      <StageList sessionId={sessionId} stage={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
