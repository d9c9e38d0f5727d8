// 实时看板 in the support console (/proctor/dashboard): the session picker and the shared live dashboard.
import { Layout } from 'antd';
import type { MeT } from '../admin/types.ts';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import { SessionPicker, useSessionParam } from './SessionPicker.tsx';
import { SessionDashboard } from '../../dashboard/SessionDashboard.tsx';

export default function DashboardPage({ me }: { me: MeT }) {
  const [sessionId, setSession] = useSessionParam();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ConsoleHeader me={me} connected>
        <SessionPicker value={sessionId} onChange={setSession} />
      </ConsoleHeader>
      <Layout.Content style={{ padding: 16 }}>{sessionId && <SessionDashboard key={sessionId} sessionId={sessionId} />}</Layout.Content>
    </Layout>
  );
}
