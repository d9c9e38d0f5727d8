// A support-console page about one session (实时看板, 试测情况): the header with the session picker, then the view
// of the chosen session. The session lives in the URL, so a reload or a shared link keeps it.
import type { ReactNode } from 'react';
import { Layout } from 'antd';
import type { MeT } from '../admin/types.ts';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import { SessionPicker, useSessionParam } from './SessionPicker.tsx';

export function SessionScopedPage({ me, view }: { me: MeT; view: (sessionId: string) => ReactNode }) {
  const [sessionId, setSession] = useSessionParam();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <ConsoleHeader me={me} connected>
        <SessionPicker value={sessionId} onChange={setSession} />
      </ConsoleHeader>
      <Layout.Content style={{ padding: 16 }}>{sessionId && view(sessionId)}</Layout.Content>
    </Layout>
  );
}
