// The proof camera's state in one word, the same on every screen: 佐证设备未连接 / 佐证设备已连接 / 录制中 /
// 佐证录制已停止 / 已断开. `ProofStatusTag` is for any screen that already has a ProofStatus (proctor, support);
// `ProofStatusBadge` keeps itself live for the candidate's desktop.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProofConnection, ProofStatus } from '@invigil/contracts';
import './i18n.ts';
import { useProofStatus } from './use-proof-status.ts';

const COLOR: Record<ProofConnection, string> = { unbound: 'default', connected: 'blue', recording: 'green', stopped: 'default', disconnected: 'red' };

export function ProofStatusTag({ status }: { status: ProofStatus | null | undefined }) {
  const { t } = useTranslation('phone');
  const c: ProofConnection = status?.connection ?? 'unbound';
  const detail = status
    ? [
        status.battery ? t('panel.battery', { pct: Math.round(status.battery.level * 100) }) : null,
        status.gaps.count ? t('panel.gaps', { n: status.gaps.count, sec: status.gaps.seconds }) : null,
        t(`panel.upload.${status.upload.state}`),
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  return (
    <Tooltip title={detail || undefined}>
      <Tag color={COLOR[c]} data-testid="proof-status" data-connection={c} style={{ marginInlineEnd: 0 }}>
        {c === 'recording' ? `● ${t('panel.status.recording')}` : t(`panel.status.${c}`)}
      </Tag>
    </Tooltip>
  );
}

export function ProofStatusBadge({ attemptId }: { attemptId: string }) {
  const q = useProofStatus(attemptId);
  return <ProofStatusTag status={q.data} />;
}
