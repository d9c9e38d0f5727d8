// 请求人工核验, waiting: the candidate holds the ID card next to their face while support decides. The camera
// answers staff live-view requests meanwhile (the same monitoring the exam uses), so the reviewer can compare
// the card, the face and the registered photo live. The step polls the decision and moves on by itself.
import { useEffect, useState } from 'react';
import { Card, Space, Spin, Typography } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { startMonitoring } from '../../../monitoring/index.ts';
import { connectRealtime } from '../realtime.ts';
import { FaceCameraView, type FaceCameraState } from './FaceCamera.tsx';

function useElapsed(): string {
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const s = Math.floor((now - since) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function ManualVerificationWait({ camera }: { camera: FaceCameraState }) {
  const { t } = useTranslation('face');
  const elapsed = useElapsed();
  const stream = camera.stream;

  useEffect(() => {
    if (!stream) return;
    return startMonitoring({ socket: connectRealtime(), streams: () => ({ camera: stream }) });
  }, [stream]);

  return (
    <div style={{ display: 'flex', gap: 20, alignItems: 'flex-start', flexWrap: 'wrap' }} data-testid="face-manual-pending">
      <FaceCameraView
        stream={stream}
        tone="active"
        label={t('capture.cameraTitle')}
        caption={
          <span>
            <IdcardOutlined /> {t('manual.caption')}
          </span>
        }
      />
      <Card style={{ flex: 1, minWidth: 320, maxWidth: 560 }}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Space align="center">
            <Spin />
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t('manual.pendingTitle')}
            </Typography.Title>
          </Space>
          <Typography.Text>{t('manual.pending')}</Typography.Text>
          <ol style={{ margin: 0, paddingLeft: 22, lineHeight: 1.8 }}>
            {(['step1', 'step2', 'step3'] as const).map((k) => (
              <li key={k}>{t(`manual.${k}`)}</li>
            ))}
          </ol>
          <Typography.Text type="secondary" data-testid="face-manual-elapsed">
            {t('manual.waiting', { time: elapsed })}
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
