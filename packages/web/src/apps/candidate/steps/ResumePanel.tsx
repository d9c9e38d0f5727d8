// After a reload mid-exam the page has no camera or screen: the browser needs a click to share the screen
// again. The server lets an entered candidate re-enter until the end; the time is never extended.
import { useState } from 'react';
import { Alert, Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { enterExam } from '../enter-exam.ts';

export function ResumePanel({ onResumed }: { onResumed: (s: AttemptState) => void }) {
  const { t } = useTranslation('candidate');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function click() {
    setBusy(true);
    setError(null);
    const r = await enterExam(t);
    setBusy(false);
    if (r.ok) onResumed(r.state);
    else setError(r.error);
  }
  return (
    <Result
      status="info"
      title={t('resume.title')}
      subTitle={t('resume.body')}
      extra={
        <>
          {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12, textAlign: 'left' }} />}
          <Button type="primary" size="large" loading={busy} onClick={() => void click()} data-testid="resume-exam">
            {t('resume.button')}
          </Button>
        </>
      }
    />
  );
}
