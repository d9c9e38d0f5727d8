// 360° 环拍: the candidate turns slowly on the spot with the front camera on themselves. A minimum duration, a
// guide that moves on as time passes, and — where the phone has a compass/gyroscope — the angle actually turned
// and a warning when turning too fast. The scan is already part of the recorded proof video.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Section } from '../components/PhoneShell.tsx';
import { Preview, RecBadge } from '../components/Preview.tsx';

const BUCKET_DEG = 10;
const TOO_FAST_DEG_PER_SEC = 60;

/** Which 10° sectors the phone has pointed at, from the orientation sensor's alpha (compass heading). */
function useTurnedDegrees(active: boolean) {
  const [degrees, setDegrees] = useState<number | null>(null);
  const [tooFast, setTooFast] = useState(false);
  useEffect(() => {
    if (!active) return;
    const seen = new Set<number>();
    let last: { alpha: number; at: number } | null = null;
    let fastUntil = 0;
    const onTurn = (e: DeviceOrientationEvent) => {
      if (e.alpha === null) return; // no sensor: time alone decides
      const now = performance.now();
      seen.add(Math.floor(e.alpha / BUCKET_DEG));
      if (last) {
        const d = Math.abs(((e.alpha - last.alpha + 540) % 360) - 180);
        if (now > last.at && (d / (now - last.at)) * 1000 > TOO_FAST_DEG_PER_SEC) fastUntil = now + 2000;
      }
      last = { alpha: e.alpha, at: now };
      setTooFast(now < fastUntil);
      setDegrees(seen.size * BUCKET_DEG);
    };
    window.addEventListener('deviceorientation', onTurn);
    return () => window.removeEventListener('deviceorientation', onTurn);
  }, [active]);
  return { degrees, tooFast };
}

export interface ScanResult {
  startedAt: number;
  endedAt: number;
  degrees: number | null;
}

export function ScanScreen(props: { stream: MediaStream | null; minSec: number; scanning: boolean; onStart: () => Promise<void>; onDone: (r: ScanResult) => Promise<void> }) {
  const { t } = useTranslation('phone');
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const { degrees, tooFast } = useTurnedDegrees(startedAt !== null);

  // After a reload during the scan the recording resumed by itself: the scan starts over, on its own.
  useEffect(() => {
    if (props.scanning && !started.current) {
      started.current = true;
      setStartedAt(Date.now());
    }
  }, [props.scanning]);
  useEffect(() => {
    if (startedAt === null) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [startedAt]);

  const elapsed = startedAt === null ? 0 : (now - startedAt) / 1000;
  const timeShare = Math.min(1, elapsed / props.minSec);
  const turnShare = degrees === null ? 1 : Math.min(1, degrees / 330);
  const done = startedAt !== null && timeShare >= 1 && turnShare >= 1;
  const guide = t('scan.guide', { returnObjects: true }) as string[];
  const step = Math.min(guide.length - 1, Math.floor(timeShare * guide.length));

  async function start() {
    setBusy(true);
    try {
      await props.onStart();
      started.current = true;
      setStartedAt(Date.now());
    } finally {
      setBusy(false);
    }
  }
  async function finish() {
    setBusy(true);
    try {
      await props.onDone({ startedAt: startedAt!, endedAt: Date.now(), degrees });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('scan.heading')}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('scan.intro')}
      </Typography.Paragraph>
      <Preview stream={props.stream} height={220} badge={startedAt !== null ? <RecBadge label={t('scan.recording')} /> : undefined} />
      {startedAt === null ? (
        <Button type="primary" size="large" block style={{ marginTop: 12 }} onClick={() => void start()} loading={busy} data-testid="scan-start">
          {t('scan.start')}
        </Button>
      ) : (
        <>
          <div style={{ display: 'flex', alignItems: 'center', gap: 16, margin: '12px 0' }}>
            <Progress type="circle" size={84} percent={Math.round(Math.min(timeShare, turnShare) * 100)} format={() => (degrees !== null ? `${degrees}°` : `${Math.round(timeShare * 360)}°`)} />
            <div style={{ flex: 1 }}>
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="scan-guide">
                {guide[step]}
              </Typography.Text>
              <br />
              <Typography.Text type="secondary">{done ? t('scan.done') : t('scan.remaining', { sec: Math.max(0, Math.ceil(props.minSec - elapsed)) })}</Typography.Text>
              {degrees !== null && (
                <>
                  <br />
                  <Typography.Text type="secondary">{t('scan.degrees', { deg: degrees })}</Typography.Text>
                </>
              )}
            </div>
          </div>
          {tooFast ? (
            <Alert type="warning" showIcon title={t('scan.tooFast')} style={{ marginBottom: 8 }} />
          ) : (
            <Alert type="info" showIcon title={t('scan.slowly', { sec: props.minSec })} style={{ marginBottom: 8 }} />
          )}
          <Steps direction="vertical" size="small" current={step} items={guide.map((g) => ({ title: g }))} style={{ marginBottom: 8 }} />
          <Button type="primary" size="large" block disabled={!done} onClick={() => void finish()} loading={busy} data-testid="scan-done">
            {t('scan.done')}
          </Button>
        </>
      )}
    </Section>
  );
}
