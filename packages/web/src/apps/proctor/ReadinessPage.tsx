// 试测情况 in the support console (/proctor/readiness): the session picker and the shared readiness view.
import type { MeT } from '../admin/types.ts';
import { SessionScopedPage } from './SessionScopedPage.tsx';
import { ReadinessView } from '../../readiness/ReadinessView.tsx';

export default function ReadinessPage({ me }: { me: MeT }) {
  return <SessionScopedPage me={me} view={(sessionId) => <ReadinessView sessionId={sessionId} />} />;
}
