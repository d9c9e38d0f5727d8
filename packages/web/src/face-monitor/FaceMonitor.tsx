// Mounted on the candidate's exam screens (from 【进入考试】 to the end): runs the in-exam monitor (monitor.ts →
// worker.ts) and, while a condition whose rule says `tell` holds, shows a gentle hint (请保持面部在画面内 …).
// The hint never blocks answering: no modal, no sound, it goes when the condition ends.
import { useEffect, useRef, useState } from 'react';
import { Alert } from 'antd';
import type { MonitorCondition } from '@invigil/contracts';
import i18n from '../i18n/index.ts';
import { startFaceMonitor, type FaceMonitorOptions } from './monitor.ts';

const T = {
  'zh-CN': {
    'face-absent': '请保持面部在画面内',
    'face-covered': '请勿遮挡面部，保持面部在画面内',
    'camera-covered': '摄像头画面被遮挡或过暗，请保持摄像头通畅',
    'several-faces': '画面中只应有考生本人',
    'identity-mismatch': '请考生本人面对摄像头',
    'camera-frozen': '摄像头画面没有变化，请检查摄像头',
    'looking-away': '请面向屏幕作答',
    'phone-in-view': '考试期间请勿使用手机',
  },
  en: {
    'face-absent': 'Please keep your face in the picture',
    'face-covered': 'Please do not cover your face; keep it in the picture',
    'camera-covered': 'The camera is covered or too dark; please keep it clear',
    'several-faces': 'Only you should be in the picture',
    'identity-mismatch': 'The registered candidate should face the camera',
    'camera-frozen': 'The camera picture is not changing; please check the camera',
    'looking-away': 'Please face the screen while answering',
    'phone-in-view': 'Please do not use a phone during the exam',
  },
} satisfies Record<string, Record<MonitorCondition, string>>;
i18n.addResourceBundle('zh-CN', 'faceMonitor', T['zh-CN'], true, true);
i18n.addResourceBundle('en', 'faceMonitor', T.en, true, true);

export function FaceMonitor(props: Omit<FaceMonitorOptions, 'onTell'>) {
  const [tell, setTell] = useState<MonitorCondition[]>([]);
  const opts = useRef(props);
  opts.current = props;
  const t = i18n.getFixedT(null, 'faceMonitor');

  useEffect(
    () =>
      startFaceMonitor({
        ...opts.current,
        camera: () => opts.current.camera(),
        serverNow: () => opts.current.serverNow(),
        config: () => opts.current.config(),
        onSample: (s, ms) => opts.current.onSample?.(s, ms),
        onTell: (c) => setTell((prev) => (prev.length === c.length && prev.every((x, i) => x === c[i]) ? prev : c)),
      }),
    [],
  );

  if (tell.length === 0) return null;
  return (
    <Alert
      type="info"
      showIcon
      role="status"
      data-testid="face-monitor-hint"
      style={{ position: 'fixed', left: '50%', bottom: 24, transform: 'translateX(-50%)', zIndex: 1000, fontSize: 16, boxShadow: '0 4px 16px rgba(0,0,0,0.12)' }}
      title={tell
        .map((c) => t(c))
        .filter((x, i, a) => a.indexOf(x) === i)
        .join('；')}
    />
  );
}
