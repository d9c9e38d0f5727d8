// 八、结束考试: recording stops, then every stream uploads with its own progress. "上传成功" appears only when the
// server has verified every stream (progress().allVerified) — never on the browser's say-so.
import { useEffect, useState } from 'react';
import { Alert, Card, Progress, Result, Space, Spin, Tag, Typography } from 'antd';
import { ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import type { StreamProgress } from '../../../media/types.ts';
import { resumeUploads, stopRecording, useExamMedia, usePipelineProgress } from '../exam-media.ts';
import { networkDropped } from '../signals.ts';
import { uploadRowState } from '../recording-state.ts';
import { tagStyle } from '../a11y-theme.ts';
import { formatClock } from '../clock.ts';
import { useProofStatus } from '../../phone/use-proof-status.ts';

const MB = 1024 * 1024;
const mb = (b: number) => (b / MB).toFixed(1);

export function UploadPage({ attempt }: { attempt: AttemptState }) {
  const { t } = useTranslation('candidate');
  const media = useExamMedia();
  const progress = usePipelineProgress();
  const [stopping, setStopping] = useState(media.recording);

  useEffect(() => {
    // Ended on this page: stop and flush. Reloaded onto this page: upload what the local journal still holds.
    const work = media.recording ? stopRecording() : resumeUploads(attempt.attemptId);
    void work.catch(() => undefined).finally(() => setStopping(false));
    // Once per attempt; media.recording flips to false as a result of stopRecording itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt.attemptId]);

  const done = progress.allVerified;
  useEffect(() => {
    if (done) return;
    // Closing the page before "上传成功" would leave the rest for later: ask the browser to warn.
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [done]);

  const reason = attempt.endReason === 'time-up' ? 'time' : attempt.endReason === 'candidate' ? 'candidate' : attempt.endReason ? 'staff' : null;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 860 }}>
      {reason === 'staff' ? (
        // Not a footnote: the candidate did not end this exam and must see at once that a proctor did.
        <Alert type="error" showIcon icon={<ExclamationCircleFilled />} role="alert" title={t('upload.endedBy.staff')} description={t('upload.staffBody')} data-testid="ended-by-staff" />
      ) : (
        reason && <Typography.Text data-testid="ended-by">{t(`upload.endedBy.${reason}`)}</Typography.Text>
      )}
      {done ? (
        <Result status="success" title={t('upload.state.success')} subTitle={t('upload.done')} data-testid="upload-success" />
      ) : (
        <Alert type="info" showIcon title={t('upload.title')} description={t('upload.body')} data-testid="upload-pending" />
      )}
      {networkDropped(attempt.attemptId) && (
        <Alert type={done ? 'info' : 'warning'} showIcon title={t(done ? 'upload.networkDroppedDone' : 'upload.networkDropped')} data-testid="network-dropped-note" />
      )}
      {!progress.online && <Alert type="warning" showIcon title={t('upload.offline')} />}
      {progress.storageLow && <Alert type="error" showIcon title={t('upload.storageLow')} />}
      <Card size="small">
        {stopping ? (
          <Spin tip={t('upload.stopping')}>
            <div style={{ height: 80 }} />
          </Spin>
        ) : progress.streams.length === 0 ? (
          <Typography.Text type="secondary">{t('upload.noPipeline')}</Typography.Text>
        ) : (
          progress.streams.map((s) => <StreamRow key={s.stream} s={s} />)
        )}
        {attempt.session.proofRequired && <PhoneRow attemptId={attempt.attemptId} />}
      </Card>
    </Space>
  );
}

function StreamRow({ s }: { s: StreamProgress }) {
  const { t } = useTranslation('candidate');
  const state = uploadRowState(s);
  const color = { success: 'success', waiting: 'warning', error: 'error', uploading: 'processing', verifying: 'processing' }[state];
  const total = s.bytesUploaded + s.bytesWaiting;
  // Sent is not verified: 99 % until the server has checked every segment.
  const percent = state === 'success' ? 100 : total ? Math.min(99, Math.floor((s.bytesUploaded / total) * 100)) : 0;
  return (
    <div data-testid={`upload-${s.stream}`} data-state={state} style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{t(`upload.stream.${s.stream}`)}</Typography.Text>
        <Tag color={color} style={tagStyle(color)}>
          {t(`upload.state.${state}`)}
        </Tag>
      </Space>
      <Progress percent={percent} status={state === 'error' ? 'exception' : state === 'success' ? 'success' : 'active'} aria-label={t(`upload.stream.${s.stream}`)} />
      <Typography.Text type="secondary">
        {t('upload.sent', { sent: mb(s.bytesUploaded) })}
        {s.bytesWaiting > 0 && ` · ${t('upload.waitingMb', { mb: mb(s.bytesWaiting) })}`}
        {state === 'verifying' && ` · ${t('upload.verifyingBody')}`}
        {s.error && ` · ${s.error}`}
      </Typography.Text>
    </div>
  );
}

/** The proof video is uploaded by the phone, not by this page: its state as the server sees it, and what to do. */
function PhoneRow({ attemptId }: { attemptId: string }) {
  const { t, i18n } = useTranslation('candidate');
  const status = useProofStatus(attemptId).data;
  const up = status?.upload;
  const state = !up
    ? 'uploading'
    : up.state === 'complete'
      ? 'success'
      : up.state === 'overdue'
        ? 'error'
        : up.state === 'recording'
          ? 'phoneRecording'
          : up.state === 'uploading'
            ? 'uploading'
            : 'phoneNotStarted';
  const color = { success: 'success', error: 'error', uploading: 'processing', phoneRecording: 'warning', phoneNotStarted: 'default' }[state];
  return (
    <div data-testid="upload-phone" data-state={state} style={{ padding: '10px 0' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{t('upload.stream.phone')}</Typography.Text>
        <Tag color={color} style={tagStyle(color)}>
          {t(`upload.phoneState.${state}`)}
        </Tag>
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
        {state === 'success' ? t('upload.phoneDone') : t('upload.phone', { at: up?.deadlineAt ? formatClock(up.deadlineAt, i18n.language) : '—' })}
      </Typography.Paragraph>
    </div>
  );
}
