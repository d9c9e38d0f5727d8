// One candidate, opened from a tile or a flag: live view, 警告 / 结束考试, their flags, warnings and 求助.
import { useState } from 'react';
import { Button, Drawer, List, Space, Tabs, Tag, Typography } from 'antd';
import { StopOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type Flag, type MonitorTile, type Role } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import HelpThreadView from './HelpThreadView.tsx';
import { LiveView } from './LiveView.tsx';
import { FlagFeed } from './FlagFeed.tsx';
import { EndDialog, WarningDialog } from './ActionDialogs.tsx';
import { clock } from './format.ts';
import { warningsKey } from './useMonitor.ts';

export function CandidatePanel({ tile, flags, role, onClose }: { tile: MonitorTile; flags: Flag[]; role: Role; onClose: () => void }) {
  const { t } = useTranslation('proctor');
  const qc = useQueryClient();
  const attemptId = tile.attemptId!;
  const [dialog, setDialog] = useState<'warn' | 'end' | null>(null);
  // 'warning:changed' pushes update this list in place (useMonitor.ts); the poll only reconciles.
  const warnings = useQuery({ queryKey: warningsKey(attemptId), queryFn: () => call(routes.warnings, { params: { attemptId } }), refetchInterval: 30_000 });
  const canAct = role === 'proctor' || role === 'admin';
  const inExam = tile.phase === 'waiting' || tile.phase === 'answering';
  const closeDialog = (done: boolean) => {
    setDialog(null);
    if (!done) return;
    void qc.invalidateQueries({ queryKey: warningsKey(attemptId) });
    void qc.invalidateQueries({ queryKey: ['monitor'] });
  };
  return (
    <Drawer
      open
      onClose={onClose}
      size={920}
      destroyOnHidden
      title={
        <Space>
          <span>{tile.candidateName}</span>
          <Typography.Text type="secondary">{t('ticket', { ticket: tile.ticket })}</Typography.Text>
          <Tag>{t(`phase.${tile.phase}`)}</Tag>
        </Space>
      }
      extra={
        canAct && (
          <Space>
            <Button icon={<WarningOutlined />} disabled={tile.phase === 'ended'} onClick={() => setDialog('warn')} data-testid="warn-open">
              {t('warn')}
            </Button>
            <Button danger icon={<StopOutlined />} disabled={!inExam} onClick={() => setDialog('end')} data-testid="end-open">
              {t('endExam')}
            </Button>
          </Space>
        )
      }
    >
      {tile.phase !== 'ended' && <LiveView attemptId={attemptId} phoneAvailable={tile.proof === 'recording' || tile.proof === 'connected'} />}
      <Tabs
        style={{ marginTop: 12 }}
        items={[
          { key: 'flags', label: `${t('flagsOfCandidate')} (${flags.length})`, children: <FlagFeed flags={flags} showName={false} canReview={canAct} /> },
          {
            key: 'help',
            label: t('help'),
            children: (
              <div style={{ height: 420 }}>
                <HelpThreadView thread={{ attemptId, candidateName: tile.candidateName, ticket: tile.ticket, roomName: tile.roomName, lastAt: 0, lastBody: '', unanswered: tile.helpUnanswered }} />
              </div>
            ),
          },
          {
            key: 'warnings',
            label: `${t('warnings')} (${warnings.data?.length ?? 0})`,
            children: (
              <List
                size="small"
                dataSource={warnings.data ?? []}
                renderItem={(w) => (
                  <List.Item data-testid="warning-row" data-acked={w.ackAt ? '1' : '0'}>
                    <List.Item.Meta title={w.text} description={`${clock(w.at)} · ${w.by} · ${w.ackAt ? t('warnAcked', { time: clock(w.ackAt) }) : t('warnPending')}`} />
                  </List.Item>
                )}
              />
            ),
          },
        ]}
      />
      <WarningDialog open={dialog === 'warn'} attemptId={attemptId} name={tile.candidateName} onClose={closeDialog} />
      <EndDialog open={dialog === 'end'} attemptId={attemptId} name={tile.candidateName} onClose={closeDialog} />
    </Drawer>
  );
}
