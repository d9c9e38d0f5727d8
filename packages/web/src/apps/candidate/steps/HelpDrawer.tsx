// 【求助】: a text chat with the proctors. Messages load over REST and arrive live over socket.io (help:message);
// while the socket is down the list polls, so a reply is never missed.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Drawer, Empty, Input, Space, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { HelpMessage } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { fetchHelp, sendHelp } from '../api.ts';
import { formatClock } from '../clock.ts';
import { connectRealtime } from '../realtime.ts';
import { seedLabel } from '../components/SeedButton.tsx';

export function HelpDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('candidate');
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [socketUp, setSocketUp] = useState(false);
  const list = useQuery({ queryKey: ['help'], queryFn: fetchHelp, enabled: open, refetchInterval: open && !socketUp ? 5000 : false });
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const s = connectRealtime();
    const add = (m: HelpMessage) => qc.setQueryData<HelpMessage[]>(['help'], (old = []) => (old.some((o) => o.id === m.id) ? old : [...old, m]));
    const up = () => setSocketUp(true);
    const down = () => setSocketUp(false);
    setSocketUp(s.connected);
    s.on('help:message', add);
    s.on('connect', up);
    s.on('disconnect', down);
    return () => {
      s.off('help:message', add);
      s.off('connect', up);
      s.off('disconnect', down);
    };
  }, [qc]);

  useEffect(() => {
    // A block body: newer Chromium returns a Promise from scrollIntoView, which React would take for a cleanup.
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [list.data?.length, open]);

  async function send() {
    const body = text.trim();
    if (!body) return;
    setSending(true);
    setError(null);
    try {
      const m = await sendHelp(body);
      qc.setQueryData<HelpMessage[]>(['help'], (old = []) => (old.some((o) => o.id === m.id) ? old : [...old, m]));
      setText('');
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'NETWORK' ? t('help.offline') : e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <Drawer open={open} onClose={onClose} title={seedLabel('求助', i18n.language)} size={400} data-testid="help-drawer">
      <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
        <div style={{ flex: 1, overflowY: 'auto' }} aria-live="polite">
          {!list.data?.length ? (
            <Empty description={t('help.empty')} />
          ) : (
            list.data.map((m) => (
              <div key={m.id} data-testid="help-message" data-from={m.from} style={{ display: 'flex', justifyContent: m.from === 'candidate' ? 'flex-end' : 'flex-start', marginBottom: 10 }}>
                <div style={{ maxWidth: '82%', background: m.from === 'candidate' ? '#e6f0ff' : '#f5f5f5', borderRadius: 8, padding: '6px 10px' }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {m.from === 'candidate' ? t('help.me') : (m.staffName ?? t('help.staff'))} · {formatClock(m.at, i18n.language)}
                  </Typography.Text>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{m.body}</div>
                </div>
              </div>
            ))
          )}
          <div ref={bottom} />
        </div>
        {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 8 }} />}
        <Space.Compact style={{ width: '100%' }}>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('help.placeholder')}
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={2000}
            aria-label={t('help.placeholder')}
            data-testid="help-input"
            onPressEnter={(e) => {
              if (!e.shiftKey) {
                e.preventDefault();
                void send();
              }
            }}
          />
          <Button type="primary" loading={sending} onClick={() => void send()} style={{ height: 'auto' }} data-testid="help-send">
            {t('help.send')}
          </Button>
        </Space.Compact>
      </div>
    </Drawer>
  );
}
