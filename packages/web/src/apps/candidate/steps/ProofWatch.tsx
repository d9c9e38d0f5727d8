// The proof phone's state on the desktop after binding, for the whole exam: a live tag next to the other
// recorded streams, and — when the phone drops or stops before the end — a message that stays until it is back,
// since the rules cancel the score of a candidate whose proof video stops (第五条).
import { Alert, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProofConnection } from '@invigil/contracts';
import '../../phone/i18n.ts';
import { useProofStatus } from '../../phone/use-proof-status.ts';
import { tagStyle } from '../a11y-theme.ts';

const COLOR: Record<ProofConnection, string> = { unbound: 'default', connected: 'processing', recording: 'success', stopped: 'default', disconnected: 'error' };

/** The phone's live tag, next to camera, microphone and screen. */
export function ProofTag({ attemptId, icon }: { attemptId: string; icon?: React.ReactNode }) {
  const { t } = useTranslation('phone');
  const c: ProofConnection = useProofStatus(attemptId).data?.connection ?? 'unbound';
  return (
    <Tag color={COLOR[c]} icon={icon} data-testid="rec-phone" data-connection={c} style={{ fontSize: 14, padding: '2px 8px', marginInlineEnd: 0, ...tagStyle(COLOR[c]) }}>
      {t('panel.live')} · {c === 'recording' ? `● ${t('panel.status.recording')}` : t(`panel.status.${c}`)}
    </Tag>
  );
}

/** What to do when the phone dropped or stopped before the end; gone as soon as it records again. */
export function ProofTrouble({ attemptId }: { attemptId: string }) {
  const { t } = useTranslation('phone');
  const status = useProofStatus(attemptId).data;
  const c: ProofConnection = status?.connection ?? 'unbound';
  if (!status || (c !== 'disconnected' && c !== 'stopped' && c !== 'unbound')) return null;
  const silentSec = status.lastSeenAt ? Math.max(0, Math.round((status.now - status.lastSeenAt) / 1000)) : 0;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="proof-dropped"
      data-connection={c}
      title={c === 'disconnected' ? t('panel.dropped', { sec: silentSec }) : t('panel.stoppedEarly')}
    />
  );
}
