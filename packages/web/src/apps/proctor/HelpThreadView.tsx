// One candidate's 求助 conversation: the messages, quick replies and the reply box.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Empty, Input, Space, Spin, Tag, Typography } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type HelpMessage } from '@invigil/contracts';
import i18n from '../../i18n/index.ts';
import { ApiError, call } from '../../api/client.ts';
import { addMessage, messagesKey, type HelpThreadT } from './useHelpInbox.ts';

const time = (ms: number) => new Date(ms).toLocaleTimeString('zh-CN', { hour12: false });

function Bubble({ m }: { m: HelpMessage }) {
  const { t } = useTranslation('proctor');
  const mine = m.from === 'staff';
  return (
    <div style={{ display: 'flex', justifyContent: mine ? 'flex-end' : 'flex-start', margin: '8px 0' }}>
      <div style={{ maxWidth: '75%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {mine ? (m.staffName ?? t('you')) : t('candidate')} · {time(m.at)}
        </Typography.Text>
        <div style={{ background: mine ? '#1557b0' : '#f0f2f5', color: mine ? '#fff' : undefined, padding: '8px 12px', borderRadius: 8, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {m.body}
        </div>
      </div>
    </div>
  );
}

export default function HelpThreadView({ thread }: { thread: HelpThreadT }) {
  const { t } = useTranslation('proctor');
  const qc = useQueryClient();
  const key = messagesKey(thread.attemptId);
  const messages = useQuery({ queryKey: key, queryFn: () => call(routes.helpMessages, { params: { attemptId: thread.attemptId } }) });
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  // Quick replies go to candidates, so they are always the Chinese text whatever the console language.
  const canned = i18n.getFixedT('zh-CN', 'proctor')('cannedReplies', { returnObjects: true }) as string[];
  const cannedHints = t('cannedReplies', { returnObjects: true }) as string[];

  // Braces matter: newer Chromium returns a Promise from scrollIntoView, which React would call as a cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.data?.length]);

  async function send() {
    const body = draft.trim();
    if (!body || sending) return;
    setSending(true);
    setError(null);
    try {
      const m = await call(routes.replyHelp, { params: { attemptId: thread.attemptId }, body: { body } });
      qc.setQueryData<HelpMessage[]>(key, (list) => addMessage(list, m));
      void qc.invalidateQueries({ queryKey: ['help', 'threads'] });
      setDraft('');
    } catch (e) {
      // Keep the draft: the proctor can retry without retyping.
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSending(false);
      box.current?.focus();
    }
  }

  return (
    <section aria-label={thread.candidateName} style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <header style={{ padding: '12px 16px', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong style={{ fontSize: 16 }}>
          {thread.candidateName}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
          {t('ticket', { ticket: thread.ticket })}
        </Typography.Text>
        <Tag style={{ marginLeft: 12 }}>{thread.roomName ?? t('noRoom')}</Tag>
      </header>
      <div role="log" aria-live="polite" style={{ flex: 1, overflow: 'auto', padding: '8px 16px', minHeight: 0 }}>
        {messages.isPending ? <Spin /> : messages.data?.length ? messages.data.map((m) => <Bubble key={m.id} m={m} />) : <Empty />}
        <div ref={bottom} />
      </div>
      <footer style={{ padding: 12, borderTop: '1px solid #f0f0f0' }}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} role="alert" />}
        <Space wrap size={[8, 8]} style={{ marginBottom: 8 }} role="group" aria-label={t('canned')}>
          {canned.map((c, i) => (
            <Button key={c} size="small" title={cannedHints[i]} onClick={() => (setDraft(c), box.current?.focus())}>
              {c}
            </Button>
          ))}
        </Space>
        <div style={{ display: 'flex', gap: 8 }}>
          <Input.TextArea
            ref={(r) => {
              box.current = r?.resizableTextArea?.textArea ?? null;
            }}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault(); // Enter sends; IME composition (pinyin) must not
                void send();
              }
            }}
            placeholder={t('replyPlaceholder')}
            aria-label={t('reply')}
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
          />
          <Button type="primary" icon={<SendOutlined />} onClick={() => void send()} loading={sending} disabled={!draft.trim()}>
            {t('send')}
          </Button>
        </div>
      </footer>
    </section>
  );
}
