// In a self-test the candidate may go on without the phone (to see what fails); the verdict then says the proof
// video is missing. The server's proof gate is advisory in practice attempts, so this only moves the screen on.
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import './i18n.ts';

export function SkipProofInPractice({ onSkip }: { onSkip: () => void }) {
  const { t } = useTranslation('practice');
  return (
    <Alert
      style={{ marginTop: 16 }}
      type="info"
      showIcon
      title={t('skipProof.title')}
      description={t('skipProof.body')}
      action={
        <Button onClick={onSkip} data-testid="practice-skip-proof">
          {t('skipProof.button')}
        </Button>
      }
    />
  );
}
