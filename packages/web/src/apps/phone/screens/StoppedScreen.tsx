// After 停止录制: the rest uploads by itself; "上传成功" only once the server verified the assembled video.
import { Alert, Progress, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PhoneState } from '@invigil/contracts';
import type { PipelineProgress } from '../../../media/types.ts';
import { Section } from '../components/PhoneShell.tsx';

export function StoppedScreen({ state, progress, online }: { state: PhoneState; progress: PipelineProgress | null; online: boolean }) {
  const { t, i18n } = useTranslation('phone');
  const phone = progress?.streams.find((s) => s.stream === 'phone');
  const verified = state.upload.state === 'complete' || phone?.state === 'verified';
  if (verified) return <Result status="success" title={<span data-testid="upload-verified">{t('stopped.verified')}</span>} subTitle={t('stopped.verifiedBody')} />;
  const total = phone ? phone.bytesUploaded + phone.bytesWaiting : 0;
  const pct = total ? Math.floor((phone!.bytesUploaded / total) * 100) : 0;
  const at = state.upload.deadlineAt ? new Date(state.upload.deadlineAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }) : '';
  return (
    <Section title={t('stopped.heading')}>
      <Progress percent={pct} status={phone?.state === 'error' ? 'exception' : 'active'} />
      <Typography.Paragraph style={{ marginTop: 8 }} data-testid="upload-state">
        {online ? t('stopped.uploading') : t('stopped.waiting')}
      </Typography.Paragraph>
      {phone?.error && <Alert type="error" showIcon title={t('stopped.error', { msg: phone.error })} style={{ marginBottom: 8 }} />}
      {state.upload.state === 'overdue' ? (
        <Alert type="error" showIcon title={t('stopped.overdue')} />
      ) : (
        at && <Alert type="info" showIcon title={t('stopped.deadline', { at, min: Math.round(state.settings.uploadDeadlineSec / 60) })} />
      )}
    </Section>
  );
}
