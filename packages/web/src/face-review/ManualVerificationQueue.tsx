// The manual verification queue (人工核验) for support, proctors and admins: candidates who asked for a person
// to check their identity, oldest first, each opened in a review dialog (registered photo and live capture side
// by side, the live camera on demand, approve / reject with a reason). Compact enough for a side column.
import { useState } from 'react';
import { Alert, Badge, Button, List, Segmented, Space, Tag, Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type FaceManualItem } from '@invigil/contracts';
import { call } from '../api/client.ts';
import './i18n.ts';
import { ManualReviewDialog } from './ManualReviewDialog.tsx';

/** Candidates wait in front of their camera holding an ID card: the queue must show them within seconds. */
const POLL_MS = 3000;

export const QUEUE_KEY = ['face', 'manual-queue'] as const;

function waited(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** attemptId → admission ticket, from the sessions' attempt lists (the queue item carries the name only). */
function useTickets(items: FaceManualItem[]): Map<string, string> {
  const sessions = [...new Set(items.map((i) => i.sessionId))].sort();
  const lists = useQueries({
    queries: sessions.map((id) => ({
      queryKey: ['face', 'manual-tickets', id],
      queryFn: () => call(routes.sessionAttempts, { params: { id } }),
      staleTime: 60_000,
    })),
  });
  const map = new Map<string, string>();
  for (const l of lists) for (const r of l.data ?? []) map.set(r.attemptId, r.ticket);
  return map;
}

export function ManualVerificationQueue({ sessionId }: { sessionId?: string | null }) {
  const { t } = useTranslation('faceReview');
  const [show, setShow] = useState<'pending' | 'decided'>('pending');
  const [open, setOpen] = useState<FaceManualItem | null>(null);
  const pending = useQuery({
    queryKey: [...QUEUE_KEY, 'pending'],
    queryFn: () => call(routes.faceManual, { query: { status: 'pending' } }),
    refetchInterval: POLL_MS,
  });
  const decided = useQuery({
    queryKey: [...QUEUE_KEY, 'all'],
    queryFn: () => call(routes.faceManual, { query: { status: 'all' } }),
    enabled: show === 'decided',
    refetchInterval: show === 'decided' ? POLL_MS * 3 : false,
  });
  const source = show === 'pending' ? pending : decided;
  const items = (source.data ?? [])
    .filter((i) => !sessionId || i.sessionId === sessionId)
    .filter((i) => show === 'pending' || i.status !== 'pending')
    // Pending: who waited longest first. Decided: the latest decision first.
    .sort((a, b) => (show === 'pending' ? a.requestedAt - b.requestedAt : (b.decidedAt ?? 0) - (a.decidedAt ?? 0)));
  const tickets = useTickets(items);
  const pendingCount = (pending.data ?? []).filter((i) => !sessionId || i.sessionId === sessionId).length;

  return (
    <div data-testid="manual-verification-queue">
      <Segmented
        block
        value={show}
        onChange={(v) => setShow(v as 'pending' | 'decided')}
        options={[
          {
            value: 'pending',
            label: (
              <Badge count={pendingCount} size="small" offset={[10, -2]}>
                {t('show.pending')}
              </Badge>
            ),
          },
          { value: 'decided', label: t('show.decided') },
        ]}
        style={{ marginBottom: 8 }}
      />
      {source.isError ? (
        <Alert type="error" showIcon title={(source.error as Error).message} />
      ) : (
        <List
          loading={source.isPending}
          dataSource={items}
          locale={{ emptyText: t('empty') }}
          renderItem={(m) => (
            <List.Item
              data-testid="manual-item"
              data-candidate={m.candidateName}
              actions={[
                <Button key="review" type={m.status === 'pending' ? 'primary' : 'default'} size="small" onClick={() => setOpen(m)} data-testid="manual-review">
                  {m.status === 'pending' ? t('review') : t('view')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    <span>{m.candidateName}</span>
                    {m.status !== 'pending' && <Tag color={m.status === 'approved' ? 'green' : 'red'}>{t(`status.${m.status}`)}</Tag>}
                  </Space>
                }
                description={
                  <Space orientation="vertical" size={0}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('ticket')} {tickets.get(m.attemptId) ?? '—'}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {m.status === 'pending' ? t('waited', { time: waited(Date.now() - m.requestedAt) }) : m.reason}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
      {open && <ManualReviewDialog item={open} ticket={tickets.get(open.attemptId) ?? null} onClose={() => setOpen(null)} />}
    </div>
  );
}
