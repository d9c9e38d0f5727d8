// 三、佐证绑定: the desktop's half of binding the phone proof camera (QR code, bind code with magnifier, live
// status). Shown only when the session requires a proof video; the panel lets the candidate go on (onBound) only
// once the phone records continuously, and the server's entry gate checks the same before 【进入考试】.
import type { AttemptState } from '@invigil/contracts';
import { ProofBindingPanel } from '../../phone/ProofBindingPanel.tsx';

export interface ProofBindingStepProps {
  attempt: AttemptState;
  onBound: () => void;
}

export function ProofBindingStep({ attempt, onBound }: ProofBindingStepProps) {
  return (
    <div data-testid="proof-binding-step">
      <ProofBindingPanel attemptId={attempt.attemptId} onBound={onBound} />
    </div>
  );
}
