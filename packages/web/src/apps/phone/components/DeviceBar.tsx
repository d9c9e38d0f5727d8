// Battery, free storage, screen wake lock and upload state, with a warning for each that needs the candidate.
import { Alert, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PipelineProgress } from '../../../media/types.ts';
import { LOW_BATTERY, LOW_STORAGE_MB } from '../device.ts';
import { tagStyle } from '../../candidate/a11y-theme.ts';

export interface DeviceInfo {
  battery: { level: number; charging: boolean } | null;
  storageFreeMb: number | null;
  wakeLock: boolean;
  online: boolean;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function DeviceBar({ info, progress }: { info: DeviceInfo; progress: PipelineProgress | null }) {
  const { t } = useTranslation('phone');
  const phone = progress?.streams.find((s) => s.stream === 'phone');
  const lowBattery = info.battery && info.battery.level < LOW_BATTERY && !info.battery.charging;
  const lowStorage = (info.storageFreeMb !== null && info.storageFreeMb < LOW_STORAGE_MB) || progress?.storageLow;
  return (
    <div data-testid="device-bar">
      <Space wrap size={[6, 6]} style={{ marginBottom: 8 }}>
        <Tag color={lowBattery ? 'red' : 'default'} data-testid="battery">
          {t('device.battery')} {info.battery ? `${Math.round(info.battery.level * 100)}%${info.battery.charging ? ` · ${t('device.charging')}` : ''}` : t('device.unknown')}
        </Tag>
        <Tag color={lowStorage ? 'red' : 'default'} data-testid="storage">
          {t('device.storage')} {info.storageFreeMb !== null ? `${(info.storageFreeMb / 1024).toFixed(1)} GB` : t('device.unknown')}
        </Tag>
        <Tag color={info.wakeLock ? 'success' : 'warning'} style={tagStyle(info.wakeLock ? 'success' : 'warning')} data-testid="wake-lock">
          {t('device.wakeLock')} {info.wakeLock ? t('device.on') : t('device.off')}
        </Tag>
        {phone && <Tag data-testid="upload-waiting">{phone.bytesWaiting > 0 ? t('device.upload', { mb: mb(phone.bytesWaiting) }) : t('device.uploaded', { mb: mb(phone.bytesUploaded) })}</Tag>}
      </Space>
      {!info.online && <Alert type="warning" showIcon title={t('device.offline')} style={{ marginBottom: 8 }} data-testid="offline" />}
      {lowBattery && <Alert type="error" showIcon title={t('device.batteryLow')} style={{ marginBottom: 8 }} />}
      {lowStorage && <Alert type="error" showIcon title={t('device.storageLow', { mb: LOW_STORAGE_MB })} style={{ marginBottom: 8 }} />}
      {!info.wakeLock && <Alert type="warning" showIcon title={t('device.wakeLockOff')} style={{ marginBottom: 8 }} />}
    </div>
  );
}
