// Another device logged in with this candidate after this one stopped answering heartbeats (or the session was
// revoked): this page stops everything and says so, instead of silently failing requests.
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

export function TakenOverPage() {
  const { t } = useTranslation('candidate');
  return (
    <Result
      status="warning"
      title={t('takenOver.title')}
      subTitle={t('takenOver.body')}
      data-testid="taken-over"
      extra={<Button onClick={() => window.location.assign('/')}>{t('takenOver.again')}</Button>}
    />
  );
}
