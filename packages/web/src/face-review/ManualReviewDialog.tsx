// One manual verification: registered photo and the latest live capture side by side, the candidate's live
// camera on demand (they hold the ID card to it), and the decision with a reason. Images are fetched from
// audited routes; nothing is cached (the server sends no-store).
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, Descriptions, Input, Modal, Row, Space, Spin, Tag, Typography } from 'antd';
import { VideoCameraOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type FaceManualItem } from '@invigil/contracts';
import { ApiError, call, urlOf } from '../api/client.ts';
import { openLiveView, type LiveViewHandle } from '../monitoring/live-viewer.ts';
import { staffSocket } from '../api/staff-socket.ts';

// Same prefix as ManualVerificationQueue's QUEUE_KEY (not imported: the queue imports this file).
const QUEUE_PREFIX = ['face', 'manual-queue'];
const PICTURE_H = 260;
// With the live picture open the three sit in one row, so the decision stays on a 768-px-high screen.
const PICTURE_H_LIVE = 210;

function Picture({ src, label, missing, testId, height }: { src: string | null; label: string; missing: string; testId: string; height: number }) {
  return (
    <figure style={{ margin: 0 }}>
      <figcaption style={{ marginBottom: 4 }}>
        <Typography.Text strong>{label}</Typography.Text>
      </figcaption>
      <div style={{ height, background: '#f0f2f5', borderRadius: 6, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' }}>
        {src ? <img src={src} alt={label} data-testid={testId} style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }} /> : <Typography.Text type="secondary">{missing}</Typography.Text>}
      </div>
    </figure>
  );
}

/** The candidate's desktop camera, peer to peer, while the dialog wants it. */
function LiveCandidateCamera({ attemptId, height }: { attemptId: string; height: number }) {
  const { t } = useTranslation('faceReview');
  const ref = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<{ s: 'connecting' | 'live' | 'closed'; reason?: string }>({ s: 'connecting' });
  useEffect(() => {
    let handle: LiveViewHandle | null = null;
    let gone = false;
    void openLiveView(staffSocket(), attemptId, 'desktop', {
      onStream: (kind, stream) => {
        if (!gone && kind === 'camera' && ref.current) ref.current.srcObject = stream;
      },
      onState: (s, reason) => !gone && setState({ s, reason }),
    }).then((h) => (gone ? h.close() : (handle = h)));
    return () => {
      gone = true;
      handle?.close();
    };
  }, [attemptId]);
  const problem = state.s === 'closed' && state.reason !== 'closed' ? (state.reason === 'DEVICE_OFFLINE' ? t('liveOffline') : t('liveClosed', { reason: state.reason })) : null;
  return (
    <div data-testid="manual-live" data-state={state.s}>
      {problem && <Alert type="warning" showIcon title={problem} style={{ marginBottom: 8 }} />}
      <Spin spinning={state.s === 'connecting'} tip={t('liveConnecting')}>
        <video ref={ref} autoPlay playsInline muted style={{ width: '100%', height, objectFit: 'contain', background: '#1f2430', borderRadius: 6, display: 'block' }} aria-label={t('live')} />
      </Spin>
    </div>
  );
}

export function ManualReviewDialog({ item, ticket, onClose }: { item: FaceManualItem; ticket: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation('faceReview');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [live, setLive] = useState(false);
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pending = item.status === 'pending';
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });

  async function decide(approve: boolean) {
    if (reason.trim().length < 2) return setError(t('reasonRequired'));
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      await call(routes.faceManualDecision, { params: { id: item.id }, body: { approve, reason: reason.trim() } });
      message.success(t(approve ? 'approved' : 'rejected', { name: item.candidateName }));
      void qc.invalidateQueries({ queryKey: QUEUE_PREFIX });
      // The support table shows identity per candidate; let it catch up at once.
      void qc.invalidateQueries({ queryKey: ['support'] });
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      void qc.invalidateQueries({ queryKey: QUEUE_PREFIX });
    } finally {
      setBusy(null);
    }
  }

  const presets = [...(t('presets.approve', { returnObjects: true }) as string[]), ...(t('presets.reject', { returnObjects: true }) as string[])];
  return (
    <Modal
      open
      width={920}
      centered
      title={`${t('title')} · ${item.candidateName}`}
      onCancel={onClose}
      footer={
        pending ? (
          <Space>
            <Button onClick={onClose}>{t('cancel')}</Button>
            <Button danger loading={busy === 'reject'} disabled={!!busy} onClick={() => void decide(false)} data-testid="manual-reject">
              {t('reject')}
            </Button>
            <Button type="primary" loading={busy === 'approve'} disabled={!!busy} onClick={() => void decide(true)} data-testid="manual-approve">
              {t('approve')}
            </Button>
          </Space>
        ) : null
      }
      data-testid="manual-review-dialog"
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('ticket')}>{ticket ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('requestedAt')}>{when(item.requestedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('similarity')}>{item.lastSimilarity === null ? t('noSimilarity') : item.lastSimilarity.toFixed(2)}</Descriptions.Item>
        <Descriptions.Item label={t('note')}>{item.note || '—'}</Descriptions.Item>
        {!pending && (
          <Descriptions.Item label={t(`status.${item.status}`)} span={2}>
            <Tag color={item.status === 'approved' ? 'green' : 'red'}>{item.reason}</Tag>
            {item.decidedAt && t('decidedBy', { by: item.decidedBy ?? '', time: when(item.decidedAt) })}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Row gutter={12}>
        <Col span={live ? 8 : 12}>
          <Picture
            src={item.hasRegisteredPhoto ? urlOf(routes.faceManualPhoto, { params: { id: item.id } }) : null}
            label={t('photo')}
            missing={t('noPhoto')}
            testId="manual-photo"
            height={live ? PICTURE_H_LIVE : PICTURE_H}
          />
        </Col>
        <Col span={live ? 8 : 12}>
          <Picture
            src={item.hasCapture ? urlOf(routes.faceManualCapture, { params: { id: item.id } }) : null}
            label={t('capture')}
            missing={t('noCapture')}
            testId="manual-capture"
            height={live ? PICTURE_H_LIVE : PICTURE_H}
          />
        </Col>
        {live && (
          <Col span={8}>
            <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
              {t('live')}
            </Typography.Text>
            <LiveCandidateCamera attemptId={item.attemptId} height={PICTURE_H_LIVE} />
          </Col>
        )}
      </Row>
      {pending && (
        <Button icon={<VideoCameraOutlined />} style={{ marginTop: 10 }} onClick={() => setLive((v) => !v)} data-testid="manual-open-live">
          {live ? t('closeLive') : t('openLive')}
        </Button>
      )}
      {pending && (
        <Space orientation="vertical" size={6} style={{ width: '100%', marginTop: 12 }}>
          <Typography.Text type="secondary">{t('howTo')}</Typography.Text>
          <Typography.Text strong>{t('reason')}</Typography.Text>
          <Space size={4} wrap>
            {presets.map((p) => (
              <Tag key={p} style={{ cursor: 'pointer' }} onClick={() => setReason(p)}>
                {p}
              </Tag>
            ))}
          </Space>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            rows={2}
            placeholder={t('reasonPlaceholder')}
            aria-label={t('reason')}
            data-testid="manual-reason"
          />
          {error && <Alert type="error" showIcon title={error} />}
        </Space>
      )}
    </Modal>
  );
}
