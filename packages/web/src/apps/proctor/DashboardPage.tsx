// 实时看板 in the support console (/proctor/dashboard): the session picker and the shared live dashboard.
import type { MeT } from '../admin/types.ts';
import { SessionScopedPage } from './SessionScopedPage.tsx';
import { SessionDashboard } from '../../dashboard/SessionDashboard.tsx';

export default function DashboardPage({ me }: { me: MeT }) {
  return <SessionScopedPage me={me} view={(sessionId) => <SessionDashboard key={sessionId} sessionId={sessionId} />} />;
}
