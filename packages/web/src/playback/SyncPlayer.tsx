// Synchronized playback of several recordings of one attempt (camera, screen, phone) on one wall-clock position:
// one play/pause/seek/speed drives them all; a stream that has no recording at a moment shows that gap (grey,
// with its length) instead of drifting; one timeline carries every event as a marker (click → jump there).
// Audio comes from the stream marked `audio`; the others are muted. Keyboard: space, ←/→ 5 s, [ / ] speed.
// The files are fetched by the browser with HTTP Range, so playback starts before a file is downloaded.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Slider, Space, Tooltip, Typography } from 'antd';
import { CaretRightOutlined, PauseOutlined, StepBackwardOutlined, StepForwardOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SPEEDS, clock, fileTimeAt, gapsOf, holeAt, nextSpeed, spanOf, wallAt, type Run } from './sync.ts';
import './i18n.ts';

export interface PlayerStream {
  key: string;
  label: string;
  url: string | null;
  runs: Run[];
  audio?: boolean;
}
export interface Marker {
  id: string;
  at: number;
  label: string;
  color: string;
}

/** Another stream is re-seeked only when it drifts by more than this (s): seeking costs a decode. */
const DRIFT_SEC = 0.25;

/**
 * `loading`: the videos are already given (their URLs are known before anything else, so they start loading at
 * once) but not yet where each run sits; no gaps are drawn and the controls wait until the runs arrive.
 */
export default function SyncPlayer({ streams, markers, onPosition, loading = false }: { streams: PlayerStream[]; markers: Marker[]; onPosition?: (at: number) => void; loading?: boolean }) {
  const { t } = useTranslation('playback');
  const span = useMemo(() => spanOf(streams.map((s) => s.runs)) ?? { startAt: 0, endAt: 1 }, [streams]);
  const videos = useRef(new Map<string, HTMLVideoElement>());
  const pos = useRef(span.startAt);
  const [shown, setShown] = useState(span.startAt);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const playingRef = useRef(false);
  const speedRef = useRef(1);
  const master = streams.find((s) => s.audio && s.url) ?? streams.find((s) => s.url);

  /** Put every video where the position says, playing or paused. `exact` after a seek. */
  const place = useCallback(
    (exact: boolean) => {
      for (const s of streams) {
        const v = videos.current.get(s.key);
        if (!v || !s.url) continue;
        const target = fileTimeAt(s.runs, pos.current);
        v.playbackRate = speedRef.current;
        if (target === null) {
          if (!v.paused) v.pause();
          continue;
        }
        if (exact || Math.abs(v.currentTime - target) > DRIFT_SEC) v.currentTime = target;
        if (playingRef.current && v.paused) void v.play().catch(() => undefined);
        if (!playingRef.current && !v.paused) v.pause();
      }
    },
    [streams],
  );

  const seek = useCallback(
    (at: number) => {
      pos.current = Math.max(span.startAt, Math.min(span.endAt, at));
      place(true);
      setShown(pos.current);
      onPosition?.(pos.current);
    },
    [place, span, onPosition],
  );

  const setPlay = useCallback(
    (on: boolean) => {
      if (on && pos.current >= span.endAt) pos.current = span.startAt;
      playingRef.current = on;
      setPlaying(on);
      place(false);
    },
    [place, span],
  );

  // The runs arrive after the videos (see `loading`): start at the timeline's beginning, and move a video only if
  // it is not there already (a seek costs a decode before the first frame shows).
  useEffect(() => {
    if (pos.current < span.startAt || pos.current > span.endAt) {
      pos.current = span.startAt;
      setShown(span.startAt);
    }
    place(false);
  }, [span, place]);

  const changeSpeed = useCallback((s: number) => {
    speedRef.current = s;
    setSpeed(s);
    for (const v of videos.current.values()) v.playbackRate = s;
  }, []);

  // The clock: the audio stream leads while it plays (so sound never stutters); elsewhere time runs on its own.
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = 0;
    let shownAt = 0;
    const tick = (now: number) => {
      const mv = master ? videos.current.get(master.key) : undefined;
      const fromMaster = mv && !mv.paused && !mv.seeking && master ? wallAt(master.runs, mv.currentTime) : null;
      pos.current = fromMaster !== null && fileTimeAt(master!.runs, pos.current) !== null ? fromMaster : pos.current + (now - last) * speedRef.current;
      last = now;
      if (pos.current >= span.endAt) {
        pos.current = span.endAt;
        setPlay(false);
      } else place(false);
      if (now - shownAt > 100) {
        shownAt = now;
        setShown(pos.current);
        onPosition?.(pos.current);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, master, place, span, setPlay, onPosition]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return;
      if (loading) return;
      if (e.key === ' ') setPlay(!playingRef.current);
      else if (e.key === 'ArrowLeft') seek(pos.current - 5000);
      else if (e.key === 'ArrowRight') seek(pos.current + 5000);
      else if (e.key === '[') changeSpeed(nextSpeed(speedRef.current, -1));
      else if (e.key === ']') changeSpeed(nextSpeed(speedRef.current, 1));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [seek, setPlay, changeSpeed, loading]);

  // Events before the first or after the last recorded moment sit at the timeline's ends.
  const pct = (at: number) => `${Math.max(0, Math.min(1, (at - span.startAt) / Math.max(1, span.endAt - span.startAt))) * 100}%`;
  const total = span.endAt - span.startAt;

  return (
    <div className="sync-player" data-position={Math.round(shown)} data-start={span.startAt}>
      <div style={{ display: 'grid', gridTemplateColumns: `repeat(${streams.length}, 1fr)`, gap: 8 }}>
        {streams.map((s) => {
          const hole = s.url && !loading ? holeAt(s.runs, shown, span) : null;
          return (
            <figure key={s.key} style={{ margin: 0 }}>
              <figcaption style={{ fontSize: 12, color: '#555', marginBottom: 2 }}>{s.label}</figcaption>
              <div style={{ position: 'relative', background: '#000', aspectRatio: '4 / 3' }}>
                {s.url ? (
                  <video
                    data-stream={s.key}
                    ref={(el) => {
                      if (el) videos.current.set(s.key, el);
                      else videos.current.delete(s.key);
                    }}
                    src={s.url}
                    preload="metadata"
                    muted={!s.audio}
                    playsInline
                    onLoadedMetadata={() => place(false)}
                    style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }}
                  />
                ) : null}
                {!s.url || hole ? (
                  <div
                    data-hole={hole?.kind ?? 'none'}
                    style={{ position: 'absolute', inset: 0, background: '#8c8c8c', color: '#fff', display: 'grid', placeItems: 'center', textAlign: 'center', padding: 8, fontSize: 13 }}
                  >
                    {!s.url
                      ? t('none')
                      : hole!.kind === 'gap'
                        ? t('gap', { seconds: Math.round((hole!.toAt - hole!.fromAt) / 1000) })
                        : hole!.kind === 'before'
                          ? t('before', { seconds: Math.ceil((hole!.toAt - shown) / 1000) })
                          : t('after')}
                  </div>
                ) : null}
              </div>
            </figure>
          );
        })}
      </div>

      <Space style={{ marginTop: 8 }} wrap>
        <Button aria-label={t('back')} icon={<StepBackwardOutlined />} disabled={loading} onClick={() => seek(pos.current - 5000)} />
        <Button
          type="primary"
          data-testid="play"
          aria-label={playing ? t('pause') : t('play')}
          icon={playing ? <PauseOutlined /> : <CaretRightOutlined />}
          disabled={loading}
          onClick={() => setPlay(!playing)}
        >
          {playing ? t('pause') : t('play')}
        </Button>
        <Button aria-label={t('forward')} icon={<StepForwardOutlined />} disabled={loading} onClick={() => seek(pos.current + 5000)} />
        <Typography.Text data-testid="clock" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {clock(shown - span.startAt)} / {clock(total)}
        </Typography.Text>
        <span>{t('speed')}</span>
        {SPEEDS.map((s) => (
          <Button key={s} size="small" type={speed === s ? 'primary' : 'default'} onClick={() => changeSpeed(s)}>
            {s}×
          </Button>
        ))}
      </Space>

      <div style={{ position: 'relative', marginTop: 8 }}>
        <Slider min={span.startAt} max={span.endAt} value={shown} step={100} disabled={loading} onChange={(v) => seek(v)} tooltip={{ formatter: (v) => clock((v ?? span.startAt) - span.startAt) }} />
        {/* One lane per stream: grey where it has no recording. */}
        {streams.map((s) => (
          <div key={s.key} title={s.label} style={{ position: 'relative', height: 6, margin: '2px 6px', background: s.url ? '#95de64' : '#d9d9d9' }}>
            {s.url && s.runs.length ? (
              <>
                <div style={{ position: 'absolute', left: 0, width: pct(Math.min(...s.runs.map((r) => r.startAt))), top: 0, bottom: 0, background: '#d9d9d9' }} />
                <div style={{ position: 'absolute', left: pct(Math.max(...s.runs.map((r) => r.startAt + r.seconds * 1000))), right: 0, top: 0, bottom: 0, background: '#d9d9d9' }} />
              </>
            ) : null}
            {gapsOf(s.runs).map((g) => (
              <div key={g.fromAt} data-gap={s.key} style={{ position: 'absolute', left: pct(g.fromAt), width: `calc(${pct(g.toAt)} - ${pct(g.fromAt)})`, top: 0, bottom: 0, background: '#8c8c8c' }} />
            ))}
          </div>
        ))}
        <div style={{ position: 'relative', height: 18, margin: '4px 6px 0' }}>
          {markers.map((m) => (
            <Tooltip key={m.id} title={`${clock(m.at - span.startAt)} ${m.label}`}>
              <button
                type="button"
                data-marker={m.id}
                data-at={m.at}
                aria-label={t('jump', { time: clock(m.at - span.startAt) }) + ' ' + m.label}
                onClick={() => seek(m.at)}
                style={{ position: 'absolute', left: pct(m.at), transform: 'translateX(-50%)', width: 10, height: 16, padding: 0, border: 0, borderRadius: 2, background: m.color, cursor: 'pointer' }}
              />
            </Tooltip>
          ))}
        </div>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('keys')}
      </Typography.Text>
    </div>
  );
}
