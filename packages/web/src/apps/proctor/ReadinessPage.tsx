// 试测情况 in the support console (/proctor/readiness): the session picker and the shared readiness view.
import { Layout } from 'antd';
import type { MeT } from '../admin/types.ts';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import { SessionPicker, useSessionParam } from './SessionPicker.tsx';
import { ReadinessView } from '../../readiness/ReadinessView.tsx';

export default function ReadinessPage({ me }: { me: MeT }) {
  const [sessionId, setSession] = useSessionParam();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ConsoleHeader me={me} connected>
        <SessionPicker value={sessionId} onChange={setSession} />
      </ConsoleHeader>
      <Layout.Content style={{ padding: 16 }}>{sessionId && <ReadinessView sessionId={sessionId} />}</Layout.Content>
    </Layout>
  );
}
