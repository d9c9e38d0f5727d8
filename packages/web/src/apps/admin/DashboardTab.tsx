// 概览: the live dashboard (where every candidate stands, pushed by the server) and the session's timeline as the
// server computes it.
import { Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { entryClosesAt, endsAt } from '@invigil/contracts';
import { SessionDashboard } from '../../dashboard/SessionDashboard.tsx';
import { ExportButtons } from '../../exports/ExportButtons.tsx';
import { fmtTime } from './format.ts';
import type { SessionT } from './types.ts';

export default function DashboardTab({ session: s }: { session: SessionT }) {
  const { t } = useTranslation('admin');
  const onOff = (v: boolean) => <Tag color={v ? 'green' : 'default'}>{v ? t('sessionForm.on') : t('sessionForm.off')}</Tag>;

  return (
    <>
      <SessionDashboard sessionId={s.id} />
      <div style={{ height: 16 }} />
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
