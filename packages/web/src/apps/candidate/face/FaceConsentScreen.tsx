// The separate consent screen (单独同意, PIPL art. 29; 人脸识别技术应用安全管理办法) shown before the camera
// is opened for face login: purpose, retention, the non-face alternative and the candidate's rights. Declining
// is a real choice: it leads to manual verification by support, not to a dead end.
import { useState } from 'react';
import { Button, Card, Checkbox, Space, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export interface FaceConsentScreenProps {
  busy: boolean;
  onAccept: () => void;
  onDecline: () => void;
}

const SECTIONS = ['purpose', 'retention', 'alternative', 'rights'] as const;

export function FaceConsentScreen({ busy, onAccept, onDecline }: FaceConsentScreenProps) {
  const { t } = useTranslation('face');
  const [checked, setChecked] = useState(false);
  return (
    <Card
      style={{ maxWidth: 860 }}
      title={
        <Space>
          <SafetyCertificateOutlined style={{ color: '#1557b0' }} />
          {t('consent.heading')}
        </Space>
      }
      data-testid="face-consent"
    >
      <Typography.Paragraph>{t('consent.intro')}</Typography.Paragraph>
      <dl style={{ margin: '0 0 12px' }}>
        {SECTIONS.map((s) => (
          <div key={s} style={{ marginBottom: 10 }}>
            <dt style={{ fontWeight: 600 }}>{t(`consent.${s}Title`)}</dt>
            <dd style={{ margin: '2px 0 0', lineHeight: 1.7 }}>{t(`consent.${s}`)}</dd>
          </div>
        ))}
      </dl>
      <Checkbox checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="face-consent-check" style={{ marginBottom: 16 }}>
        {t('consent.check')}
      </Checkbox>
      <Space wrap>
        <Button type="primary" size="large" disabled={!checked || busy} loading={busy} onClick={onAccept} data-testid="face-consent-accept">
          {t('consent.accept')}
        </Button>
        {/* Declining needs no tick: refusing must be as easy as agreeing. */}
        <Button size="large" disabled={busy} onClick={onDecline} data-testid="face-consent-decline">
          {t('consent.decline')}
        </Button>
      </Space>
    </Card>
  );
}
