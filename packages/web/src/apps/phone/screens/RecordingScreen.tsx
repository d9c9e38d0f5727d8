// Continuous recording until stopped by hand after the exam. Elapsed time, the exam's state, the device's
// state, and 【停止录制】 with a confirmation that says plainly when stopping now would be an interruption.
import { useEffect, useState } from 'react';
import { App, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PhoneState } from '@invigil/contracts';
import type { PipelineProgress } from '../../../media/types.ts';
import { Section } from '../components/PhoneShell.tsx';
import { Preview, RecBadge } from '../components/Preview.tsx';
import { DeviceBar, type DeviceInfo } from '../components/DeviceBar.tsx';
import { formatDuration } from '../../candidate/clock.ts';
import { LiveAnnouncement } from '../../candidate/components/SrOnly.tsx';
import { announcedCountdown, phoneExamClock } from '../exam-clock.ts';

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
};

export function RecordingScreen(props: {
  state: PhoneState;
  receivedAt: number;
  stream: MediaStream | null;
  since: number;
  recording: boolean;
  device: DeviceInfo;
  progress: PipelineProgress | null;
  onStop: () => Promise<void>;
  onResume: () => void;
}) {
  const { t } = useTranslation('phone');
  const { modal } = App.useApp();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const exam = phoneExamClock(props.state, props.receivedAt, now);
  const examEnded = exam.phase === 'ended';

  const confirmStop = () =>
    modal.confirm({
      title: t('rec.stopConfirmTitle'),
      content: examEnded ? t('rec.stopConfirmEnded') : t('rec.stopConfirmEarly'),
      okText: t('rec.stop'),
      okButtonProps: { danger: !examEnded },
      cancelText: t('common.cancel', { ns: 'translation' }),
      onOk: props.onStop,
    });

  return (
    <>
      <Section title={t('rec.heading')}>
        <Preview stream={props.stream} height={260} badge={props.recording ? <RecBadge label={t('rec.elapsed', { time: clock(now - props.since) })} /> : undefined} />
        <Typography.Paragraph style={{ margin: '10px 0' }} strong type={examEnded ? 'success' : undefined} data-testid="exam-state" data-phase={exam.phase}>
          {examEnded ? t('rec.examEnded') : `${t(exam.phase === 'before' ? 'rec.examBefore' : 'rec.examRunning')} · ${props.state.examName}`}
        </Typography.Paragraph>
        {!examEnded && (
          <div
            style={{ fontSize: 28, fontWeight: 600, fontVariantNumeric: 'tabular-nums', color: exam.phase === 'running' && exam.leftMs < 60_000 ? '#a8071a' : '#1f1f1f' }}
            data-testid="exam-countdown"
            aria-hidden="true"
          >
            {t(exam.phase === 'before' ? 'rec.startsIn' : 'rec.remaining', { time: formatDuration(exam.leftMs) })}
          </div>
        )}
        {/* Screen readers hear the countdown at sensible steps (exam-clock.ts), and the phase change at once. */}
        <LiveAnnouncement testId="exam-announce">
          {examEnded ? t('rec.examEnded') : t(exam.phase === 'before' ? 'rec.announceBefore' : 'rec.announceRunning', { time: announcedCountdown(exam.leftMs) })}
        </LiveAnnouncement>
        <Typography.Paragraph type="secondary">{t('rec.keep')}</Typography.Paragraph>
        {!props.recording && (
          <Button type="primary" size="large" block onClick={props.onResume} style={{ marginBottom: 8 }} data-testid="resume">
            {t('rec.resume')}
          </Button>
        )}
        <Button size="large" block danger={!examEnded} type={examEnded ? 'primary' : 'default'} onClick={confirmStop} data-testid="stop">
          {t('rec.stop')}
        </Button>
      </Section>
      <Section>
        <DeviceBar info={props.device} progress={props.progress} />
      </Section>
    </>
  );
}
