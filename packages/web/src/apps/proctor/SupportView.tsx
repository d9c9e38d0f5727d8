// 技术支持: per candidate the last device check, login state, identity (face / manual), the recording upload
// per stream and the proof-video deadline; beside it the manual face approval queue. Each part loads from its
// own route, so one feature being unavailable leaves the others readable.
import { Card, Layout, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type SessionRecordings, type SupportRow } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import type { MeT } from '../admin/types.ts';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import { SessionPicker, useSessionParam } from './SessionPicker.tsx';
import { bytes, clock } from './format.ts';
import { ManualVerificationQueue } from '../../face-review/index.ts';
import { PhotoUploadButton } from '../../photos/index.ts';
import { ExportButtons } from '../../exports/ExportButtons.tsx';

const ok = (v: boolean) => <Tag color={v ? 'green' : 'red'}>{v ? '✓' : '✗'}</Tag>;
const REC_COLOR = { complete: 'green', partial: 'orange', uploading: 'blue', verified: 'cyan', missing: 'red' } as const;
// Upload done ≠ assembled: a verified stream shows where its assembly job is (a failure with its reason).
const recLabel = (x: SessionRecordings['rows'][number]) => (x.status === 'verified' && x.assembly ? `sup.asm.${x.assembly.state}` : `sup.rec.${x.status}`);
const recColor = (x: SessionRecordings['rows'][number]) => (x.assembly?.state === 'failed' ? 'red' : REC_COLOR[x.status]);
const asmTip = (x: SessionRecordings['rows'][number]) =>
  x.assembly && x.assembly.state !== 'assembled' ? ` · ${x.assembly.state} ×${x.assembly.attempts}${x.assembly.error ? `: ${x.assembly.error}` : ''}` : '';

function DeviceCell({ r }: { r: SupportRow }) {
  const { t } = useTranslation('proctor');
  const c = r.deviceCheck;
  if (!c) return <Typography.Text type="secondary">{t('sup.notChecked')}</Typography.Text>;
  return (
    <Tooltip title={c.browser.userAgent}>
      <Space size={2} wrap>
        {t('sup.camera')}
        {ok(c.camera === 'ok')}
        {t('sup.mic')}
        {ok(c.microphone === 'ok')}
        {t('sup.monitor')}
        {ok(c.singleMonitor)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {c.uploadKbps !== null ? `${Math.round(c.uploadKbps / 1000)} Mbps` : ''} {c.storageFreeMb !== null ? `· ${bytes(c.storageFreeMb * 1024 * 1024)}` : ''}
          {r.deviceCheckedAt ? ` · ${clock(r.deviceCheckedAt)}` : ''}
        </Typography.Text>
      </Space>
    </Tooltip>
  );
}

export default function SupportView({ me }: { me: MeT }) {
  const { t } = useTranslation('proctor');
  const [sessionId, setSession] = useSessionParam();
  const rows = useQuery({ queryKey: ['support', sessionId], queryFn: () => call(routes.support, { params: { id: sessionId! } }), enabled: !!sessionId, refetchInterval: 10_000 });
  const recs = useQuery({
    queryKey: ['support', 'recordings', sessionId],
    queryFn: () => call(routes.sessionRecordings, { params: { id: sessionId! } }),
    enabled: !!sessionId,
    refetchInterval: 10_000,
    retry: false,
  });
  const proof = useQuery({
    queryKey: ['support', 'proof', sessionId],
    queryFn: () => call(routes.sessionProof, { params: { id: sessionId! } }),
    enabled: !!sessionId,
    refetchInterval: 10_000,
    retry: false,
  });
  const recOf = (attemptId: string | null) => (recs.data?.rows ?? []).filter((x) => x.attemptId && x.attemptId === attemptId);
  const proofOf = (attemptId: string | null) => proof.data?.rows.find((x) => x.attemptId === attemptId)?.status ?? null;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ConsoleHeader me={me} connected>
        <SessionPicker value={sessionId} onChange={setSession} />
      </ConsoleHeader>
      <Layout.Content style={{ padding: 16, display: 'flex', gap: 16, alignItems: 'flex-start' }}>
        <Space orientation="vertical" style={{ flex: 1, minWidth: 0 }}>
          <Card title={t('sup.title')} styles={{ body: { padding: 0 } }}>
            <Table<SupportRow>
              size="small"
              rowKey="candidateId"
              loading={rows.isPending && !!sessionId}
              dataSource={rows.data ?? []}
              pagination={{ pageSize: 50, hideOnSinglePage: true }}
              scroll={{ x: 1180 }}
              columns={[
                {
                  title: t('candidate'),
                  key: 'c',
                  fixed: 'left',
                  width: 150,
                  render: (_, r) => (
                    <Space orientation="vertical" size={0}>
                      <strong>{r.candidateName}</strong>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.ticket}
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  title: t('sup.login'),
                  key: 'l',
                  width: 150,
                  render: (_, r) => (
                    <Space orientation="vertical" size={0}>
                      <Tag>{t(`phase.${r.phase}`)}</Tag>
                      {r.liveSeenAt && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('sup.lastSeen', { time: clock(r.liveSeenAt) })}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                { title: t('sup.device'), key: 'd', width: 300, render: (_, r) => <DeviceCell r={r} /> },
                {
                  title: t('sup.identity'),
                  key: 'i',
                  width: 220,
                  render: (_, r) => (
                    <Space orientation="vertical" size={0}>
                      {r.manualPending ? (
                        <Tag color="orange">{t('sup.pending')}</Tag>
                      ) : r.identity ? (
                        <Tag color="green">{t(r.identity === 'manual' ? 'sup.viaManual' : 'sup.viaFace')}</Tag>
                      ) : (
                        t('sup.none')
                      )}
                      {/* No registered photo on the exam morning: support adds it here (the server audits it and refuses a replacement). */}
                      {!r.hasPhoto && (
                        <Space size={0} data-testid={`no-photo-${r.ticket}`}>
                          <Tag color="red">{t('sup.noPhoto')}</Tag>
                          <PhotoUploadButton candidateId={r.candidateId} candidateName={r.candidateName} mode="fixMissing" onDone={() => void rows.refetch()} />
                        </Space>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('sup.recordings'),
                  key: 'r',
                  width: 260,
                  render: (_, r) =>
                    recs.isError ? (
                      t('sup.unavailable')
                    ) : (
                      <Space size={4} wrap>
                        {recOf(r.attemptId).map((x) => (
                          <Tooltip key={x.stream} title={`${x.segments} · ${bytes(x.bytes)}${x.missingSeqs.length ? ` · missing ${x.missingSeqs.join(',')}` : ''}${asmTip(x)}`}>
                            <Tag color={recColor(x)} data-testid={`rec-${x.stream}`} data-status={x.status} data-assembly={x.assembly?.state}>
                              {t(`sup.stream.${x.stream}`)} {t(recLabel(x))}
                            </Tag>
                          </Tooltip>
                        ))}
                      </Space>
                    ),
                },
                {
                  title: t('sup.proofDeadline'),
                  key: 'p',
                  width: 180,
                  render: (_, r) => {
                    if (proof.isError) return t('sup.unavailable');
                    const s = proofOf(r.attemptId);
                    // A session without the proof camera has no proof deadline: nothing to show (not 未开始 + a time).
                    if (!proof.data?.proofRequired && (!s || s.connection === 'unbound')) return null;
                    if (!s) return t('sup.none');
                    return (
                      <Space orientation="vertical" size={0}>
                        <Tag color={s.upload.state === 'overdue' ? 'red' : s.upload.state === 'complete' ? 'green' : 'blue'}>{t(`sup.deadline.${s.upload.state}`)}</Tag>
                        {s.upload.deadlineAt && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {clock(s.upload.deadlineAt)}
                          </Typography.Text>
                        )}
                      </Space>
                    );
                  },
                },
              ]}
            />
          </Card>
          {sessionId && (
            <Card size="small" title={t('exports:title')}>
              <ExportButtons sessionId={sessionId} reports={['attendance', 'uploads']} />
            </Card>
          )}
        </Space>
        <Card title={t('sup.manualQueue')} style={{ width: 360, flex: 'none' }}>
          <ManualVerificationQueue sessionId={sessionId} />
        </Card>
      </Layout.Content>
    </Layout>
  );
}
