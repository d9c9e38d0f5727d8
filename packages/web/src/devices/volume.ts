// Live microphone level for the volume bar: RMS of the time-domain signal, 0–100, about 10 updates a second
// (enough for the eye, cheap for React).
import { useEffect, useState } from 'react';

export function useVolume(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    const track = stream?.getAudioTracks()[0];
    if (!stream || !track) {
      setLevel(0);
      return;
    }
    const ctx = new AudioContext();
    const src = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    src.connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    void ctx.resume().catch(() => undefined);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      const rms = Math.sqrt(sum / buf.length);
      // Speech sits around 0.02–0.2 RMS; a log-ish scale makes quiet speech visible.
      setLevel(Math.min(100, Math.round(Math.sqrt(rms) * 160)));
    }, 100);
    return () => {
      clearInterval(timer);
      src.disconnect();
      void ctx.close();
    };
  }, [stream]);
  return level;
}
