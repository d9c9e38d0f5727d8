// The proctor's console: the room grid of the chosen session, the live flag feed beside it, and the
// candidate panel (live view, warnings, ending the exam, 求助) opened from a tile or a flag (?attempt=).
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { Empty, Layout, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Flag, MonitorTile } from '@invigil/contracts';
import type { MeT } from '../admin/types.ts';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import { SessionPicker, useSessionParam } from './SessionPicker.tsx';
import { RoomGrid } from './RoomGrid.tsx';
import { FlagFeed } from './FlagFeed.tsx';
import { CandidatePanel } from './CandidatePanel.tsx';
import { useMonitor } from './useMonitor.ts';
import './console.css';

const NO_TILES: MonitorTile[] = [];

export default function MonitorConsole({ me }: { me: MeT }) {
  const { t } = useTranslation('proctor');
  const [sessionId, setSession] = useSessionParam();
  const [params, setParams] = useSearchParams();
  const { grid, flags, connected } = useMonitor(sessionId);
  const [now, setNow] = useState(() => Date.now());
  const openId = params.get('attempt');
  const tiles = grid.data?.tiles ?? NO_TILES;
  // A pushed flag changes the feed and its tile at once: the feed's new row is rendered first (urgent), the grid
  // (counts, border, re-sorting 30–60 tiles) right after in a render React may interrupt for the next push.
  const gridTiles = useDeferredValue(tiles);
  const open = (openId && tiles.find((x) => x.attemptId === openId)) || null;
  const openFlags = (flags.data ?? []).filter((f) => f.attemptId === openId);
  const unreviewed = (flags.data ?? []).filter((f) => !f.review).length;

  // Online-by-heartbeat is judged against this clock; a tick every 5 s is enough for a 30 s window.
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(i);
  }, []);
  useEffect(() => {
    document.title = unreviewed ? `(${unreviewed}) ${t('monitor')} · Invigil` : `${t('monitor')} · Invigil`;
  }, [unreviewed, t]);

  const setOpen = (attemptId: string | null) => {
    const next = new URLSearchParams(params);
    if (attemptId) next.set('attempt', attemptId);
    else next.delete('attempt');
    setParams(next, { replace: true });
  };
  // Stable for the memoized tiles: a new function on every render repainted all of them.
  const setOpenRef = useRef(setOpen);
  useEffect(() => {
    setOpenRef.current = setOpen;
  });
  const onTile = useCallback((x: MonitorTile) => setOpenRef.current(x.attemptId), []);
  const onFlag = useCallback((f: Flag) => setOpenRef.current(f.attemptId), []);

  // The header (with the session picker) does not change with a push: not rendered again for each one.
  const header = useMemo(
    () => (
      <ConsoleHeader me={me} connected={connected}>
        <SessionPicker value={sessionId} onChange={setSession} />
      </ConsoleHeader>
    ),
    [me, connected, sessionId, setSession],
  );

  return (
    <Layout style={{ height: '100vh' }}>
      {header}
      <Layout>
        <Layout.Content style={{ minWidth: 0, background: '#f5f6f8' }}>
          {sessionId ? <RoomGrid tiles={gridTiles} now={now} onOpen={onTile} /> : <Empty style={{ marginTop: '20vh' }} description={t('noSession')} />}
        </Layout.Content>
        <Layout.Sider width={360} theme="light" style={{ borderLeft: '1px solid #f0f0f0', overflow: 'auto' }}>
          <section aria-label={t('feed')} data-testid="flag-feed">
            <Typography.Title level={5} style={{ padding: '12px 12px 0', margin: 0 }}>
              {t('feed')} {unreviewed > 0 && <Typography.Text type="danger">({unreviewed})</Typography.Text>}
            </Typography.Title>
            <FlagFeed flags={flags.data ?? []} loading={flags.isPending && !!sessionId} canReview={me.role !== 'support'} onOpen={onFlag} />
          </section>
        </Layout.Sider>
      </Layout>
      {open && <CandidatePanel key={open.attemptId} tile={open} flags={openFlags} role={me.role} onClose={() => setOpen(null)} />}
    </Layout>
  );
}
