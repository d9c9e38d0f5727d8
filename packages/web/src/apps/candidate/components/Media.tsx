// Small media widgets shared by the check, confirmation, waiting and answering screens.
import { useEffect, useRef } from 'react';
import { Progress, Select, Space, Typography } from 'antd';
import { AudioOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useVolume } from '../../../devices/index.ts';

export function CameraPreview({ stream, height = 240, label }: { stream: MediaStream | null; height?: number; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <video
      ref={ref}
      autoPlay
      muted
      playsInline
      aria-label={label}
      data-testid="camera-preview"
      style={{ width: '100%', height, objectFit: 'cover', background: '#1f2430', borderRadius: 6, transform: 'scaleX(-1)' }}
    />
  );
}

export function VolumeBar({ stream }: { stream: MediaStream | null }) {
  const { t } = useTranslation('candidate');
  const level = useVolume(stream);
  return (
    <Space style={{ width: '100%' }} aria-label={t('device.volume')}>
      <AudioOutlined style={{ color: level > 8 ? '#389e0d' : '#8c8c8c' }} />
      <Progress
        percent={level}
        showInfo={false}
        size="small"
        strokeColor={level > 8 ? '#52c41a' : '#bfbfbf'}
        style={{ width: 200, margin: 0 }}
        data-testid="volume-bar"
        aria-valuenow={level}
        aria-label={t('device.volume')}
      />
    </Space>
  );
}

export function DeviceSelect(props: { label: string; devices: MediaDeviceInfo[]; value: string | undefined; onChange: (id: string) => void; disabled?: boolean; testId: string }) {
  return (
    <label style={{ display: 'block' }}>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
        {props.label}
      </Typography.Text>
      <Select
        style={{ width: '100%' }}
        value={props.value}
        onChange={props.onChange}
        disabled={props.disabled}
        data-testid={props.testId}
        aria-label={props.label}
        options={props.devices.map((d, i) => ({ value: d.deviceId, label: d.label || `${props.label} ${i + 1}` }))}
      />
    </label>
  );
}
