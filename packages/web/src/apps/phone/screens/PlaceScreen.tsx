// Where the phone goes: behind the candidate, to the side, at 45°, seeing desk, screen, hands and the room.
import { Alert, Button, Typography } from 'antd';
import { CheckCircleTwoTone } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Section } from '../components/PhoneShell.tsx';
import { Preview, RecBadge } from '../components/Preview.tsx';

/** Seen from above: desk and screen ahead, the candidate, the phone behind-right with its field of view. */
function TopView() {
  return (
    <svg viewBox="0 0 200 150" width="100%" height={150} role="img" aria-label="45°" style={{ display: 'block', background: '#f7f9fc', borderRadius: 8 }}>
      <rect x="55" y="12" width="90" height="30" rx="3" fill="#d9dee7" />
      <rect x="80" y="16" width="40" height="6" fill="#1557b0" />
      <circle cx="100" cy="70" r="14" fill="#8fa8c8" />
      <path d="M160 128 L60 20 L140 12 Z" fill="rgba(21,87,176,.12)" />
      <rect x="150" y="118" width="16" height="22" rx="3" transform="rotate(-45 158 129)" fill="#222" />
      <path d="M100 110 A40 40 0 0 1 128 98" stroke="#f5222d" fill="none" strokeWidth="2" />
      <text x="104" y="126" fontSize="12" fill="#f5222d">
        45°
      </text>
    </svg>
  );
}

export function PlaceScreen({ stream, onPlaced, busy }: { stream: MediaStream | null; onPlaced: () => void; busy: boolean }) {
  const { t } = useTranslation('phone');
  const items = t('place.items', { returnObjects: true }) as string[];
  return (
    <Section title={t('place.heading')}>
      <Typography.Paragraph>{t('place.intro')}</Typography.Paragraph>
      <TopView />
      <div style={{ height: 10 }} />
      <Preview stream={stream} height={200} badge={<RecBadge label={t('scan.recording')} />} />
      <Typography.Paragraph strong style={{ margin: '10px 0 4px' }}>
        {t('place.check')}
      </Typography.Paragraph>
      <ul style={{ listStyle: 'none', padding: 0, margin: '0 0 10px' }}>
        {items.map((i) => (
          <li key={i} style={{ padding: '2px 0' }}>
            <CheckCircleTwoTone twoToneColor="#52c41a" /> {i}
          </li>
        ))}
      </ul>
      <Alert type="info" showIcon title={t('place.power')} style={{ marginBottom: 12 }} />
      <Button type="primary" size="large" block onClick={onPlaced} loading={busy} data-testid="placed">
        {t('place.confirm')}
      </Button>
    </Section>
  );
}
