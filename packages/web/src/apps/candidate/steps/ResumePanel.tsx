// After a reload mid-exam the page has no camera or screen: the browser needs a click to share the screen
// again. The server lets an entered candidate re-enter until the end; the time is never extended, so the
// countdown keeps running here too, and the text says honestly what a reload costs: the last seconds before it
// (the chunk being recorded) and the time until recording resumes are not recorded.
import { useState } from 'react';
import { Alert, Button, Result, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { DEFAULT_RECORDER_OPTIONS } from '../../../media/recorder.ts';
import { enterExam } from '../enter-exam.ts';
import { formatDuration, useServerNow } from '../clock.ts';
import { announcedCountdown } from '../../phone/exam-clock.ts';
import { LiveAnnouncement } from '../components/SrOnly.tsx';

export function ResumePanel({ attempt, onResumed }: { attempt: AttemptState; onResumed: (s: AttemptState) => void }) {
  const { t } = useTranslation('candidate');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useServerNow(500);
  const tl = attempt.timeline;
  const started = now >= tl.startsAt;
  const left = (started ? tl.endsAt : tl.startsAt) - now;
  async function click() {
    setBusy(true);
    setError(null);
    const r = await enterExam(t);
    setBusy(false);
    if (r.ok) onResumed(r.state);
    else setError(r.error);
  }
  const label = started ? t('answer.remaining') : t('waiting.startsIn');
  return (
    <Result
      status="warning"
      title={t('resume.title')}
      subTitle={
        <>
          <span style={{ display: 'block', color: '#262626' }}>{t('resume.body')}</span>
          <span style={{ display: 'block', marginTop: 8, color: '#262626' }} data-testid="resume-cost">
            {t('resume.cost', { sec: Math.round(DEFAULT_RECORDER_OPTIONS.timesliceMs / 1000) })}
          </span>
        </>
      }
      extra={
        <>
          <Statistic
            title={label}
            value={formatDuration(left)}
            styles={{ content: { fontSize: 40, color: started && left < 60_000 ? '#a8071a' : '#1557b0' } }}
            data-testid="resume-countdown"
            style={{ marginBottom: 16 }}
          />
          <LiveAnnouncement>{`${label} ${announcedCountdown(left)}`}</LiveAnnouncement>
          {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12, textAlign: 'left' }} />}
          <Button type="primary" size="large" loading={busy} onClick={() => void click()} data-testid="resume-exam">
            {t('resume.button')}
          </Button>
        </>
      }
    />
  );
}
