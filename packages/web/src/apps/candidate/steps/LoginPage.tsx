// Login with ID-card number + admission ticket; a second browser gets the server's "already logged in elsewhere"
// message with how long to wait. A refused login never says why (it must not reveal whether an ID/ticket pair
// exists, issue #13): the page reads the PUBLIC schedule instead, and before the earliest opening says when the
// next session opens, keeps what was typed, and logs in again by itself at that moment.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { routes, type PublicSchedule } from '@invigil/contracts';
import { ApiError, call, messageIn } from '../../../api/client.ts';
import { login } from '../api.ts';
import { formatDuration } from '../clock.ts';

type Values = { idNumber: string; ticket: string };

interface Schedule {
  /** The earliest login opening still to come, on the server clock; null when none. */
  nextOpening: number | null;
  /** Some session's login is open right now. */
  openNow: boolean;
  /** Local time minus server time when the schedule was read: the countdown runs on the server clock. */
  skew: number;
}

function scheduleOf(s: PublicSchedule, skew: number): Schedule {
  const future = s.sessions.map((x) => x.loginOpensAt).filter((at) => at > s.now);
  return { nextOpening: future.length ? Math.min(...future) : null, openNow: s.sessions.some((x) => x.loginOpensAt <= s.now), skew };
}

async function readSchedule(): Promise<Schedule | null> {
  const t0 = Date.now();
  try {
    const s = await call(routes.publicSchedule);
    return scheduleOf(s, (t0 + Date.now()) / 2 - s.now);
  } catch {
    return null; // the form works without it
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "09:00" today; "12月8日 09:00" / "8 Dec 09:00" on another day. */
function formatOpening(at: number, lang: string): string {
  const d = new Date(at);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === new Date().toDateString()) return hm;
  return lang === 'en' ? `${d.getDate()} ${d.toLocaleString('en', { month: 'short' })} ${hm}` : `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
}

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t, i18n } = useTranslation('candidate');
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  /** A login was refused while an opening is still to come: log in again by itself when it comes. */
  const [waiting, setWaiting] = useState(false);

  useEffect(() => {
    let live = true;
    void readSchedule().then((s) => live && setSchedule(s));
    return () => {
      live = false;
    };
  }, []);

  const submit = useCallback(
    async (values: Values) => {
      setBusy(true);
      setError(null);
      try {
        await login(values.idNumber, values.ticket);
        onLoggedIn();
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e));
        setError(err);
        if (err.code === 'LOGIN_REFUSED') {
          const s = await readSchedule();
          setSchedule(s);
          setWaiting(!!s?.nextOpening);
        } else setWaiting(false);
      } finally {
        setBusy(false);
      }
    },
    [onLoggedIn],
  );

  const retry = useCallback(() => void submit(form.getFieldsValue()), [form, submit]);
  // Before the earliest opening (no session open now), or after a refusal while one is still to come.
  const notice = schedule?.nextOpening && (waiting || !schedule.openNow) ? schedule : null;

  return (
    <div style={{ maxWidth: 440, margin: '6vh auto 0' }}>
      <Card title={<span style={{ fontSize: 18 }}>{t('login.heading')}</span>}>
        {notice && <NextOpening schedule={notice} auto={waiting} onOpen={waiting ? retry : undefined} lang={i18n.language} />}
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={error.code === 'ALREADY_LOGGED_IN_ELSEWHERE' ? t('login.elsewhereTitle') : undefined}
            description={messageIn(error, i18n.language)}
            data-testid="login-error"
            role="alert"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} lang={i18n.language}>
          <Form.Item name="idNumber" label={t('login.idNumber')} rules={[{ required: true, whitespace: true, message: t('login.idNumberRequired') }]}>
            <Input size="large" autoComplete="off" placeholder={t('login.idNumberPlaceholder')} maxLength={18} autoFocus />
          </Form.Item>
          <Form.Item name="ticket" label={t('login.ticket')} rules={[{ required: true, whitespace: true, message: t('login.ticketRequired') }]}>
            <Input size="large" autoComplete="off" placeholder={t('login.ticketPlaceholder')} maxLength={32} />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy} aria-label={t('login.submit')} aria-busy={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {t('login.hint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

/** "最近一场考试将于 HH:MM 开放登录" with a countdown on the server clock; calls `onOpen` once, just after the opening. */
function NextOpening({ schedule, auto, onOpen, lang }: { schedule: Schedule; auto: boolean; onOpen?: () => void; lang: string }) {
  const { t } = useTranslation('candidate');
  const opensAt = schedule.nextOpening!;
  const [now, setNow] = useState(() => Date.now() - schedule.skew);
  const fired = useRef<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() - schedule.skew), 500);
    return () => clearInterval(timer);
  }, [schedule.skew]);
  const left = opensAt - now;
  useEffect(() => {
    // A little after the opening instant, so the server clock has surely passed it too.
    if (onOpen && left <= -300 && fired.current !== opensAt) {
      fired.current = opensAt;
      onOpen();
    }
  }, [left, onOpen, opensAt]);
  if (left <= -300 && !onOpen) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="login-next-opening"
      title={t('login.nextOpening', { at: formatOpening(opensAt, lang) })}
      description={
        <>
          <div>{auto ? t('login.nextOpeningAuto') : t('login.nextOpeningHint')}</div>
          <Statistic title={t('login.opensIn')} value={formatDuration(Math.max(0, left))} data-testid="login-countdown" />
        </>
      }
    />
  );
}
