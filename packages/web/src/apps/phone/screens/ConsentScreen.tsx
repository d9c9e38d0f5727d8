// What the proof video is, who sees it, how long it is kept — before the camera turns on.
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Section } from '../components/PhoneShell.tsx';

export function ConsentScreen({ onAgree, busy }: { onAgree: () => void; busy: boolean }) {
  const { t } = useTranslation('phone');
  return (
    <Section title={t('consent.heading')}>
      <Typography.Paragraph>{t('consent.body1')}</Typography.Paragraph>
      <Typography.Paragraph>{t('consent.body2')}</Typography.Paragraph>
      <Typography.Paragraph strong>{t('consent.steps')}</Typography.Paragraph>
      <Typography.Paragraph strong style={{ color: '#ad4e00' }}>
        {t('consent.tips')}
      </Typography.Paragraph>
      <Button type="primary" size="large" block onClick={onAgree} loading={busy}>
        {t('consent.agree')}
      </Button>
    </Section>
  );
}
