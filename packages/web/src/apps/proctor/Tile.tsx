// One candidate in the room grid: live thumbnail, name + ticket, phase, connection, proof camera, upload
// backlog and open flags. Memoized and subscribed to its own live facts, so 60 tiles repaint one at a time.
import { memo } from 'react';
import { Badge, Tag, Tooltip } from 'antd';
import { CameraOutlined, CloudUploadOutlined, MobileOutlined, QuestionCircleFilled, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MonitorTile } from '@invigil/contracts';
import { useLiveFacts } from './live-store.ts';
import { bytes, SEVERITY_BORDER } from './format.ts';

const PHASE_COLOR = { absent: 'default', 'logged-in': 'blue', waiting: 'cyan', answering: 'green', ended: 'default' } as const;
const PROOF_COLOR = { unbound: '#bfbfbf', connected: '#1677ff', recording: '#52c41a', stopped: '#8c8c8c', disconnected: '#f5222d' } as const;
/** Without a socket presence event yet, the REST heartbeat (every 10 s) decides. */
const HEARTBEAT_FRESH_MS = 30_000;

/**
 * `heartbeatFresh` rather than the clock itself: a boolean that changes rarely keeps the memo, where a clock
 * ticking every 5 s repainted all 60 tiles at once (long tasks of 80–150 ms, bench/console).
 */
export const Tile = memo(function Tile({ tile, heartbeatFresh, onOpen }: { tile: MonitorTile; heartbeatFresh: boolean; onOpen: (t: MonitorTile) => void }) {
  const { t } = useTranslation('proctor');
  const live = useLiveFacts(tile.attemptId);
  const online = isOnline(tile, live.online, heartbeatFresh);
  const backlog = live.status?.backlogBytes ?? 0;
  const border = tile.flags.open && tile.flags.worst ? SEVERITY_BORDER[tile.flags.worst] : '#f0f0f0';
  const dim = tile.phase === 'ended' || tile.phase === 'absent';
  return (
    <button
      type="button"
      className="invigil-tile"
      data-testid="tile"
      data-attempt={tile.attemptId ?? ''}
      data-phase={tile.phase}
      aria-label={`${tile.candidateName} ${tile.ticket}`}
      onClick={() => tile.attemptId && onOpen(tile)}
      disabled={!tile.attemptId}
      style={{ borderColor: border, borderWidth: tile.flags.open ? 2 : 1 }}
    >
      <div className="invigil-thumb" style={{ opacity: dim ? 0.55 : 1 }}>
        {live.thumbUrl ? <img src={live.thumbUrl} alt="" data-testid="tile-thumb" data-at={live.thumbAt ?? ''} /> : <UserOutlined style={{ fontSize: 36, color: '#bfbfbf' }} />}
        <span className="invigil-phase">
          <Tag color={PHASE_COLOR[tile.phase]} style={{ margin: 0 }}>
            {t(`phase.${tile.phase}`)}
          </Tag>
        </span>
        {tile.flags.open > 0 && (
          <span className="invigil-flags" data-testid="tile-flags">
            <Badge count={tile.flags.open} title={t('flagsCount', { count: tile.flags.open })} color={SEVERITY_BORDER[tile.flags.worst ?? 'low']} />
          </span>
        )}
      </div>
      <div className="invigil-tile-info">
        <div className="invigil-tile-name">
          <strong>{tile.candidateName}</strong>
          <span>{tile.ticket}</span>
        </div>
        <div className="invigil-tile-icons">
          <Tooltip title={online ? t('online') : t('offlineShort')}>
            <Badge status={online ? 'success' : 'default'} text={<span data-testid="tile-connection">{online ? t('online') : t('offlineShort')}</span>} />
          </Tooltip>
          {tile.proof && (
            <Tooltip title={t(`proof.${tile.proof}`)}>
              <MobileOutlined style={{ color: PROOF_COLOR[tile.proof] }} aria-label={t(`proof.${tile.proof}`)} />
            </Tooltip>
          )}
          {live.status && !live.status.camera && tile.phase !== 'ended' && <CameraOutlined style={{ color: '#f5222d' }} aria-label="camera" />}
          {backlog > 0 && (
            <Tooltip title={t('backlog', { size: bytes(backlog) })}>
              <span className="invigil-backlog" style={{ color: backlog > 50e6 ? '#f5222d' : '#8c8c8c' }}>
                <CloudUploadOutlined /> {bytes(backlog)}
              </span>
            </Tooltip>
          )}
          {tile.helpUnanswered && (
            <Tooltip title={t('helpWaiting')}>
              <QuestionCircleFilled style={{ color: '#fa541c' }} aria-label={t('helpWaiting')} />
            </Tooltip>
          )}
        </div>
      </div>
    </button>
  );
});

/** Whether the tile's last REST heartbeat is recent, judged against `now`. */
export const heartbeatFreshAt = (tile: MonitorTile, now: number) => tile.liveSeenAt !== null && now - tile.liveSeenAt < HEARTBEAT_FRESH_MS;

export function isOnline(tile: MonitorTile, socketOnline: boolean | null, heartbeatFresh: boolean): boolean {
  if (tile.phase === 'ended' || tile.phase === 'absent') return false;
  if (socketOnline !== null) return socketOnline;
  return heartbeatFresh;
}
