// The flag feed: every flag of the watched rooms, newest first, with time, type, severity and the evidence
// frame; 确认违纪 / 排除 with a note. Also used for one candidate inside their panel.
import { memo, useCallback, useState } from 'react';
import { App, Button, Empty, Image, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type Flag, type FlagDecision } from '@invigil/contracts';
import { ApiError, call, urlOf } from '../../api/client.ts';
import { clock, flagName, SEVERITY_COLOR } from './format.ts';
import { isProvisional } from './live-updates.ts';

// Memoized: a pushed flag adds one row, and the other rows (up to 500) must not render again.
const FlagItem = memo(function FlagItem({ f, showName, onReview, onOpen }: { f: Flag; showName: boolean; onReview: (f: Flag, d: FlagDecision) => void; onOpen?: (f: Flag) => void }) {
  const { t } = useTranslation('proctor');
  // A flag shown from a push that carried no id can be reviewed once REST has given it one (next reconcile).
  const reviewable = !isProvisional(f);
  return (
    <List.Item data-testid="flag" data-type={f.type} data-review={f.review?.decision ?? 'open'} data-attempt={f.attemptId} data-at={f.at} style={{ padding: '8px 12px', alignItems: 'flex-start' }}>
      <div style={{ display: 'flex', gap: 10, width: '100%' }}>
        {f.evidence ? (
          <Image src={urlOf(routes.flagEvidence, { params: { id: f.id } })} width={64} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} alt={t('evidence')} />
        ) : (
          <div style={{ width: 64, height: 48, background: '#f5f5f5', borderRadius: 4, flex: 'none' }} />
        )}
        <div style={{ flex: 1, minWidth: 0 }}>
          <Space size={6} wrap>
            <Tag color={SEVERITY_COLOR[f.severity]} style={{ margin: 0 }}>
              {t(`severity.${f.severity}`)}
            </Tag>
            <Typography.Text strong>{flagName(f.type)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {clock(f.at)}
            </Typography.Text>
          </Space>
          {showName && (
            <div>
              <Typography.Link onClick={() => onOpen?.(f)}>{f.candidateName}</Typography.Link>
              <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                {f.ticket}
              </Typography.Text>
            </div>
          )}
          {f.review ? (
            <Typography.Text type={f.review.decision === 'confirmed' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {t(f.review.decision)} · {f.review.by}
              {f.review.note ? ` · ${f.review.note}` : ''}
            </Typography.Text>
          ) : (
            f.severity !== 'info' && (
              // A block of its own: inline, the buttons ran into the time when the name line is hidden (panel).
              <div style={{ marginTop: 4 }}>
                <Space size={6}>
                  <Button size="small" danger disabled={!reviewable} onClick={() => onReview(f, 'confirmed')} data-testid="flag-confirm">
                    {t('confirm')}
                  </Button>
                  <Button size="small" disabled={!reviewable} onClick={() => onReview(f, 'dismissed')} data-testid="flag-dismiss">
                    {t('dismiss')}
                  </Button>
                </Space>
              </div>
            )
          )}
        </div>
      </div>
    </List.Item>
  );
});

const noReview = () => undefined;

export const FlagFeed = memo(function FlagFeed({
  flags,
  loading,
  showName = true,
  canReview,
  onOpen,
}: {
  flags: Flag[];
  loading?: boolean;
  showName?: boolean;
  canReview: boolean;
  onOpen?: (f: Flag) => void;
}) {
  const { t } = useTranslation('proctor');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [pending, setPending] = useState<{ f: Flag; d: FlagDecision } | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const review = useCallback((x: Flag, d: FlagDecision) => setPending({ f: x, d }), []);

  async function save() {
    if (!pending) return;
    setSaving(true);
    try {
      await call(routes.reviewFlag, { params: { id: pending.f.id }, body: { decision: pending.d, note } });
      await qc.invalidateQueries({ queryKey: ['flags'] });
      void qc.invalidateQueries({ queryKey: ['monitor'] });
      setPending(null);
      setNote('');
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <List
        size="small"
        loading={loading}
        dataSource={flags}
        // Keyed by flag: without it antd keys rows by index, so a flag pushed on top shifted every key and React
        // remounted all 500 rows per push (1.6–3.9 s to the proctor's screen under load, bench/console/latency.ts).
        rowKey="id"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('feedEmpty')} /> }}
        renderItem={(f) => <FlagItem f={f} showName={showName} onOpen={onOpen} onReview={canReview ? review : noReview} />}
      />
      <Modal
        open={!!pending}
        title={pending && t('reviewTitle', { action: t(pending.d === 'confirmed' ? 'confirm' : 'dismiss'), type: flagName(pending.f.type) })}
        okText={pending && t(pending.d === 'confirmed' ? 'confirm' : 'dismiss')}
        okButtonProps={{ danger: pending?.d === 'confirmed', loading: saving, id: 'review-ok' }}
        onOk={() => void save()}
        onCancel={() => setPending(null)}
        destroyOnHidden
      >
        {pending && (
          <Typography.Paragraph type="secondary">
            {pending.f.candidateName} · {pending.f.ticket} · {clock(pending.f.at)}
          </Typography.Paragraph>
        )}
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('reviewNote')} aria-label={t('reviewNote')} maxLength={1000} autoSize={{ minRows: 2 }} />
      </Modal>
    </>
  );
});
