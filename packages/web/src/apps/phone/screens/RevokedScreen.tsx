// This phone was replaced by another (re-pair after a broken phone): it records no more.
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

export function RevokedScreen() {
  const { t } = useTranslation('phone');
  return <Result status="warning" title={<span data-testid="revoked">{t('revoked.heading')}</span>} subTitle={t('revoked.body')} />;
}
