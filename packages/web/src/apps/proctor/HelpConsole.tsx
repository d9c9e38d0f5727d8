// The proctor's 求助 console: threads on the left with unread badges, the chosen conversation on the right.
// The session filter is in the URL (?session=) so an administrator can link a proctor straight to it.
import { useEffect } from 'react';
import { Badge, Empty, Layout, List, Select, Space, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ConsoleHeader } from './ConsoleHeader.tsx';
import type { MeT } from '../admin/types.ts';
import HelpThreadView from './HelpThreadView.tsx';
import { useHelpInbox, type HelpThreadT } from './useHelpInbox.ts';

const time = (ms: number) => new Date(ms).toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' });

function ThreadItem({ th, unread, active, onOpen }: { th: HelpThreadT; unread: number; active: boolean; onOpen: () => void }) {
  const { t } = useTranslation('proctor');
  return (
    <List.Item style={{ padding: 0, background: active ? '#e6f0ff' : undefined }}>
      <button type="button" onClick={onOpen} aria-current={active} style={{ all: 'unset', boxSizing: 'border-box', width: '100%', padding: '10px 16px', cursor: 'pointer', display: 'block' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Space size={6}>
            <Typography.Text strong>{th.candidateName}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {th.roomName ?? t('noRoom')}
            </Typography.Text>
          </Space>
          <Space size={6}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {time(th.lastAt)}
            </Typography.Text>
            <Badge count={unread} aria-label={unread ? `${unread}` : undefined} />
          </Space>
        </div>
        <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
          {th.unanswered && <Tag color="red">{t('unanswered')}</Tag>}
          <Typography.Text type="secondary" ellipsis style={{ flex: 1 }}>
            {th.lastBody}
          </Typography.Text>
        </div>
      </button>
    </List.Item>
  );
}

export default function HelpConsole({ me }: { me: MeT }) {
  const { t } = useTranslation('proctor');
  const [params, setParams] = useSearchParams();
  const sessionId = params.get('session');
  const openId = params.get('attempt');
  const { threads, sessions, connected, unread, markRead } = useHelpInbox(sessionId, openId);
  const open = threads.data?.find((th) => th.attemptId === openId) ?? null;
  const total = (threads.data ?? []).reduce((n, th) => n + unread(th), 0);

  // Reading the open conversation marks it read, including messages that arrive while it is open.
  const openAttempt = open?.attemptId;
  const openLastAt = open?.lastAt;
  useEffect(() => {
    if (openAttempt && openLastAt !== undefined) markRead(openAttempt, openLastAt);
  }, [openAttempt, openLastAt, markRead]);
  useEffect(() => {
    document.title = total ? `(${total}) ${t('help')} · Invigil` : `${t('help')} · Invigil`;
  }, [total, t]);

  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <Layout style={{ height: '100vh' }}>
      <ConsoleHeader me={me} connected={connected} badge={total}>
        <Select
          aria-label={t('session')}
          style={{ width: 280 }}
          value={sessionId ?? ''}
          onChange={(v) => setParam('session', v || null)}
          options={[{ value: '', label: t('allSessions') }, ...sessions.map((s) => ({ value: s.id, label: s.examName ? `${s.examName} · ${s.name}` : s.name }))]}
        />
      </ConsoleHeader>
      <Layout>
        <Layout.Sider width={360} theme="light" style={{ borderRight: '1px solid #f0f0f0', overflow: 'auto' }}>
          <nav aria-label={t('help')}>
            <Typography.Title level={5} style={{ padding: '12px 16px 0', margin: 0 }}>
              {t('help')} {total > 0 && <Badge count={total} />}
            </Typography.Title>
            <List
              loading={threads.isPending}
              dataSource={threads.data ?? []}
              locale={{ emptyText: <Empty description={threads.error?.message ?? t('empty')} /> }}
              renderItem={(th) => (
                <ThreadItem key={th.attemptId} th={th} unread={th.attemptId === openId ? 0 : unread(th)} active={th.attemptId === openId} onOpen={() => setParam('attempt', th.attemptId)} />
              )}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ background: '#fff', minWidth: 0 }}>
          {open ? <HelpThreadView key={open.attemptId} thread={open} /> : <Empty style={{ marginTop: '20vh' }} description={t('choose')} />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
