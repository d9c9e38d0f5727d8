// The room grid with its filters (phase, flagged, offline, search) and order (review priority or ticket).
// The priority order is recomputed when the tiles change or, at most every 3 s, when presence/backlog change.
import { memo, useMemo, useState } from 'react';
import { Checkbox, Empty, Input, Segmented, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { reviewPriority, type MonitorPhase, type MonitorTile } from '@invigil/contracts';
import { liveStore, useOrderVersion } from './live-store.ts';
import { heartbeatFreshAt, isOnline, Tile } from './Tile.tsx';

const PHASES: Array<MonitorPhase | 'all'> = ['all', 'answering', 'waiting', 'logged-in', 'absent', 'ended'];

// Memoized: the console renders again for every pushed flag, and the grid only when its tiles (or clock) change.
export const RoomGrid = memo(function RoomGrid({ tiles, now, onOpen }: { tiles: MonitorTile[]; now: number; onOpen: (t: MonitorTile) => void }) {
  const { t } = useTranslation('proctor');
  const [phase, setPhase] = useState<MonitorPhase | 'all'>('all');
  const [flagged, setFlagged] = useState(false);
  const [offline, setOffline] = useState(false);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<'priority' | 'ticket'>('priority');
  const orderVersion = useOrderVersion();

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const live = (x: MonitorTile) => {
      const f = x.attemptId ? liveStore.get(x.attemptId) : null;
      return { online: isOnline(x, f?.online ?? null, heartbeatFreshAt(x, now)), backlogBytes: f?.status?.backlogBytes ?? 0 };
    };
    const list = tiles.filter(
      (x) =>
        (phase === 'all' || x.phase === phase) &&
        (!flagged || x.flags.open > 0) &&
        (!offline || (!live(x).online && (x.phase === 'waiting' || x.phase === 'answering'))) &&
        (!q || x.candidateName.toLowerCase().includes(q) || x.ticket.toLowerCase().includes(q)),
    );
    if (sort === 'ticket') return list;
    const score = new Map(list.map((x) => [x.candidateId, reviewPriority(x, live(x))]));
    return [...list].sort((a, b) => score.get(b.candidateId)! - score.get(a.candidateId)! || a.ticket.localeCompare(b.ticket));
    // `now` moves every 5 s; orderVersion when presence or backlog changed (read through liveStore.get).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tiles, phase, flagged, offline, query, sort, orderVersion, now]);

  // The filters bar (antd Segmented, Select, Search…) is rendered again only when what it shows changes, not for
  // each flag counted on a tile.
  const counts = PHASES.map((p) => (p === 'all' ? tiles.length : tiles.filter((x) => x.phase === p).length)).join(',');
  const toolbar = useMemo(() => {
    const count = counts.split(',').map(Number);
    return (
      <Space wrap style={{ padding: '10px 12px 0' }} size={[12, 8]}>
        <Segmented
          aria-label={t('phase.answering')}
          value={phase}
          onChange={(v) => setPhase(v as MonitorPhase | 'all')}
          options={PHASES.map((p, i) => ({ value: p, label: p === 'all' ? `${t('filterAll')} ${count[i]}` : `${t(`phase.${p}`)} ${count[i]}` }))}
        />
        <Checkbox checked={flagged} onChange={(e) => setFlagged(e.target.checked)}>
          {t('onlyFlagged')}
        </Checkbox>
        <Checkbox checked={offline} onChange={(e) => setOffline(e.target.checked)}>
          {t('onlyOffline')}
        </Checkbox>
        <Input.Search allowClear placeholder={t('search')} aria-label={t('search')} style={{ width: 200 }} onChange={(e) => setQuery(e.target.value)} />
        <Select
          aria-label={t('sortPriority')}
          value={sort}
          onChange={setSort}
          style={{ width: 150 }}
          options={[
            { value: 'priority', label: t('sortPriority') },
            { value: 'ticket', label: t('sortTicket') },
          ]}
        />
        <Typography.Text type="secondary">{t('tiles', { shown: shown.length, total: count[0] })}</Typography.Text>
      </Space>
    );
  }, [t, counts, phase, flagged, offline, sort, shown.length]);

  return (
    <section aria-label={t('monitor')} style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      {toolbar}
      <div style={{ flex: 1, overflow: 'auto', minHeight: 0 }}>
        {shown.length ? (
          <div className="invigil-grid" data-testid="room-grid">
            {shown.map((x) => (
              <Tile key={x.candidateId} tile={x} heartbeatFresh={heartbeatFreshAt(x, now)} onOpen={onOpen} />
            ))}
          </div>
        ) : (
          <Empty style={{ marginTop: 80 }} />
        )}
      </div>
    </section>
  );
});
