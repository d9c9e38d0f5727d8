// 概览: how many candidates are logged in, entered, answering, ended — refreshed while the page is open —
// and the session's timeline as the server computes it.
import { Card, Col, Descriptions, Row, Statistic, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { entryClosesAt, endsAt, routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { ExportButtons } from '../../exports/ExportButtons.tsx';
import { fmtTime } from './format.ts';
import type { SessionT } from './types.ts';

const COUNTS = ['candidates', 'loggedIn', 'entered', 'answering', 'ended'] as const;

export default function DashboardTab({ session: s }: { session: SessionT }) {
  const { t } = useTranslation('admin');
  const dash = useQuery({ queryKey: ['sessions', s.id, 'dashboard'], queryFn: () => call(routes.dashboard, { params: { id: s.id } }), refetchInterval: 10_000 });
  const onOff = (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? t('sessionForm.on') : t('sessionForm.off')}</Tag>;

  return (
    <>
      <Row gutter={16}>
        {COUNTS.map((k) => (
          <Col key={k} flex={1}>
            <Card size="small">
              <Statistic title={t(`dashboard.${k}`)} value={dash.data?.[k] ?? '—'} loading={dash.isPending} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 16px' }}>
        {dash.error ? <Typography.Text type="danger">{dash.error.message}</Typography.Text> : t('dashboard.refreshHint')}
      </Typography.Paragraph>
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('sessionForm.loginOpensAt')}>{fmtTime(s.loginOpensAt)}</Descriptions.Item>
        <Descriptions.Item label={t('sessionForm.entryOpensAt')}>{fmtTime(s.entryOpensAt)}</Descriptions.Item>
        <Descriptions.Item label={t('sessions.startsAt')}>{fmtTime(s.startsAt)}</Descriptions.Item>
        <Descriptions.Item label={t('dashboard.endsAt')}>
          {fmtTime(endsAt(s))}（{t('common.minutes', { count: Math.round(s.durationSec / 60) })}）
        </Descriptions.Item>
        <Descriptions.Item label={t('sessionForm.waitingCutoffAt')}>{fmtTime(s.waitingCutoffAt)}</Descriptions.Item>
        <Descriptions.Item label={t('dashboard.entryClosesAt')}>
          {fmtTime(entryClosesAt(s))}（{s.entryCutoff.mode === 'at-start' ? t('sessionForm.atStart') : `${t('sessionForm.minutesAfter')} ${s.entryCutoff.minutes}`}）
        </Descriptions.Item>
        <Descriptions.Item label={t('sessionForm.faceRequired')}>{onOff(s.faceRequired)}</Descriptions.Item>
        <Descriptions.Item label={t('sessionForm.proofRequired')}>{onOff(s.proofRequired)}</Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t('exports:title')} style={{ marginTop: 16 }}>
        <ExportButtons sessionId={s.id} reports={['attendance', 'uploads', 'flags']} />
      </Card>
    </>
  );
}
