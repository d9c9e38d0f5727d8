// 二、人脸登录 — seam for the face-login engineer. Shown only when the session requires face login.
// Until face verification is wired, it says so plainly and does NOT let the candidate pass: faking success
// would let someone sit another person's exam. `onVerified` is for the real implementation to call — also on
// mount when GET /api/face/me already says verified (the journey keeps no face state across a reload).
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';

export interface FaceLoginStepProps {
  attempt: AttemptState;
  onVerified: () => void;
}

export function FaceLoginStep(_props: FaceLoginStepProps) {
  const { t } = useTranslation('candidate');
  return <Result status="warning" title={t('face.required')} subTitle={t('face.settingUp')} data-testid="face-login-step" />;
}
