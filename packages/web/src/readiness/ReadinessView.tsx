// 试测情况: per candidate of a session, self-tests started / succeeded, the last device check, proof camera used and
// the 集中试测 attended, with the filters staff phone candidates from (未完成试测, 试测失败) and the export.
import { useState } from 'react';
import { Alert, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type ReadinessRow } from '@invigil/contracts';
import { call, urlOf } from '../api/client.ts';
import './i18n.ts';

type Filter = 'all' | 'not-done' | 'failed';
const ok = (v: boolean) => <Tag color={v ? 'green' : 'red'}>{v ? '✓' : '✗'}</Tag>;

function DeviceCell({ r }: { r: ReadinessRow }) {
  const { t } = useTranslation('readiness');
  const d = r.lastDeviceCheck;
  if (!d) return <Typography.Text type="secondary">{t('none')}</Typography.Text>;
  return (
    <Space size={2} wrap>
      {t('device.browser')}
      {ok(d.browser.ok)}
      {t('device.camera')}
      {ok(d.camera === 'ok')}
      {t('device.microphone')}
      {ok(d.microphone === 'ok')}
      {t('device.screen')}
      {ok(d.singleMonitor)}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {d.uploadKbps !== null ? `${t('device.network')} ${(d.uploadKbps / 1000).toFixed(1)} Mbps` : ''}{' '}
        {d.storageFreeMb !== null ? `· ${t('device.storage')} ${(d.storageFreeMb / 1024).toFixed(1)} GB` : ''}
      </Typography.Text>
    </Space>
  );
}

export function ReadinessView({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('readiness');
  const [filter, setFilter] = useState<Filter>('all');
  const q = useQuery({ queryKey: ['readiness', sessionId, filter], queryFn: () => call(routes.readiness, { params: { id: sessionId }, query: { filter } }), refetchInterval: 15_000 });
  const exportUrl = (f: 'xlsx' | 'csv') => urlOf(routes.readinessExport, { params: { id: sessionId, format: f }, query: { filter } });
  return (
    <Card
      title={t('title')}
      data-testid="readiness"
      extra={
        <Space>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={(['all', 'not-done', 'failed'] as const).map((f) => ({ value: f, label: t(`filter.${f}`) }))}
            data-testid="readiness-filter"
          />
          <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')} data-testid="readiness-xlsx">
            {t('exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={exportUrl('csv')}>
            {t('exportCsv')}
          </Button>
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      {q.data && !q.data.hasSelfTest && !q.data.hasCentral && <Alert type="info" showIcon title={t('noMock')} style={{ margin: 12 }} />}
      {q.error && <Alert type="error" showIcon title={(q.error as Error).message} style={{ margin: 12 }} />}
      <Table<ReadinessRow>
        size="small"
        rowKey="candidateId"
        loading={q.isPending}
        dataSource={q.data?.rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 1100 }}
        onRow={(r) => ({ 'data-testid': `readiness-row-${r.ticket}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('col.candidate'),
            key: 'c',
            fixed: 'left',
            width: 150,
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <strong>{r.name}</strong>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.ticket}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('col.started'), dataIndex: 'selfTestsStarted', width: 100, render: (v: number) => <span data-testid="readiness-started">{v}</span> },
          {
            title: t('col.succeeded'),
            dataIndex: 'selfTestsSucceeded',
            width: 90,
            render: (v: number) => (
              <Tag color={v > 0 ? 'green' : 'orange'} data-testid="readiness-succeeded">
                {v}
              </Tag>
            ),
          },
          {
            title: t('col.problems'),
            key: 'p',
            width: 220,
            render: (_, r) =>
              r.lastProblems.length
                ? r.lastProblems.map((p) => (
                    <Tag key={p} color="red">
                      {t(`problem.${p}`)}
                    </Tag>
                  ))
                : t('none'),
          },
          { title: t('col.device'), key: 'd', width: 330, render: (_, r) => <DeviceCell r={r} /> },
          { title: t('col.proof'), key: 'ph', width: 90, render: (_, r) => <Tag color={r.proofCameraUsed ? 'green' : 'default'}>{t(r.proofCameraUsed ? 'yes' : 'no')}</Tag> },
          {
            title: t('col.central'),
            key: 'ce',
            width: 220,
            render: (_, r) =>
              !q.data?.hasCentral ? (
                t('none')
              ) : (
                <Space orientation="vertical" size={0}>
                  <Tag color={r.centralAttended ? 'green' : 'default'}>{t(r.centralAttended ? 'attended' : 'absent')}</Tag>
                  {r.centralSteps.length > 0 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.centralSteps.map((s) => t(`steps.${s}`)).join(' → ')}
                    </Typography.Text>
                  )}
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}
