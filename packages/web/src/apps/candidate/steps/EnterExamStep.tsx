// 五、进入考试: the button activates when the server's timeline says so (count-down on the server clock);
// 【刷新】 re-asks the server; after the cut-off the server's reason is shown.
import { useEffect, useRef, useState } from 'react';
import { Alert, Card, Descriptions, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, type AttemptState } from '@invigil/contracts';
import { formatClock, formatDuration, useServerNow } from '../clock.ts';
import { SeedButton } from '../components/SeedButton.tsx';
import { enterExam } from '../enter-exam.ts';

export function EnterExamStep({ attempt, onRefresh, onEntered }: { attempt: AttemptState; onRefresh: () => Promise<unknown>; onEntered: (s: AttemptState) => void }) {
  const { t, i18n } = useTranslation('candidate');
  const now = useServerNow();
  const [busy, setBusy] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tl = attempt.timeline;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const fmt = (at: number) => formatClock(at, i18n.language);
  const beforeOpen = now < tl.entryOpensAt;
  const afterCutoff = now >= tl.entryClosesAt;
  // The server decides at POST time; locally we only avoid offering a button that would surely be refused.
  const active = !beforeOpen && !afterCutoff;
  // When the countdown reaches the activation time, ask the server again (its canEnter is the one that counts).
  const askedAtOpen = useRef(false);
  useEffect(() => {
    if (!beforeOpen && !tl.canEnter && !afterCutoff && !askedAtOpen.current) {
      askedAtOpen.current = true;
      void onRefresh();
    }
  }, [beforeOpen, afterCutoff, tl.canEnter, onRefresh]);

  async function click() {
    setBusy(true);
    setError(null);
    const r = await enterExam(t);
    setBusy(false);
    if (r.ok) onEntered(r.state);
    else {
      setError(r.error);
      if (r.code === 'ENTRY_CLOSED' || r.code === 'ENTRY_NOT_OPEN') void onRefresh();
    }
  }

  async function refresh() {
    setRefreshing(true);
    setError(null);
    await onRefresh().catch(() => undefined);
    setRefreshing(false);
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 820 }}>
      <Card size="small" title={`${attempt.session.examName} · ${attempt.session.name}`}>
        <Descriptions
          size="small"
          column={3}
          items={[
            { key: 'opens', label: t('enter.entryOpens'), children: fmt(tl.entryOpensAt) },
            { key: 'closes', label: t('enter.entryCloses'), children: fmt(tl.entryClosesAt) },
            { key: 'starts', label: t('enter.sessionStarts'), children: fmt(tl.startsAt) },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('serverTime')}
        </Typography.Text>
      </Card>
      {beforeOpen && (
        <Card size="small">
          <Space size={32} align="center">
            <Statistic title={t('enter.opensIn')} value={formatDuration(tl.entryOpensAt - now)} data-testid="entry-countdown" />
            <Typography.Text>{t('enter.notYet', { at: fmt(tl.entryOpensAt) })}</Typography.Text>
          </Space>
        </Card>
      )}
      {afterCutoff && <Alert type="error" showIcon role="alert" data-testid="entry-closed" title={errorMessage('ENTRY_CLOSED', lang, { at: fmt(tl.entryClosesAt) })} />}
      {active && <Alert type="info" showIcon title={t('enter.ready')} description={t('enter.recordingNotice')} />}
      {error && <Alert type="error" showIcon role="alert" data-testid="enter-error" title={error} />}
      <Space size="middle">
        <SeedButton word="进入考试" type="primary" size="large" disabled={!active} loading={busy} onClick={() => void click()} data-testid="enter-exam" />
        <SeedButton word="刷新" size="large" loading={refreshing} onClick={() => void refresh()} data-testid="refresh-state" />
      </Space>
    </Space>
  );
}
