// 三、佐证绑定 — seam for the proof-phone engineer (QR code + bind code, phone live). Shown only when the session
// requires a proof video; until binding is wired it says so and does not let the candidate pass.
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';

export interface ProofBindingStepProps {
  attempt: AttemptState;
  onBound: () => void;
}

export function ProofBindingStep(_props: ProofBindingStepProps) {
  const { t } = useTranslation('candidate');
  return <Result status="warning" title={t('proof.required')} subTitle={t('proof.settingUp')} data-testid="proof-binding-step" />;
}
