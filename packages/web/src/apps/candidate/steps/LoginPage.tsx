// Login with ID-card number + admission ticket. Before login opens, a countdown that logs in by itself;
// a second browser gets the server's "already logged in elsewhere" message with how long to wait.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Form, Input, Result, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.ts';
import { login } from '../api.ts';
import { formatClock, formatDuration } from '../clock.ts';

interface NotOpen {
  opensAt: number;
  /** local time minus server time at the moment of the refusal: the countdown runs on the server clock. */
  skew: number;
  values: { idNumber: string; ticket: string };
}

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t, i18n } = useTranslation('candidate');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [notOpen, setNotOpen] = useState<NotOpen | null>(null);

  async function submit(values: { idNumber: string; ticket: string }) {
    setBusy(true);
    setError(null);
    try {
      await login(values.idNumber, values.ticket);
      onLoggedIn();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e));
      const d = err.details as { loginOpensAt?: number; now?: number } | undefined;
      if (err.code === 'LOGIN_NOT_OPEN' && d?.loginOpensAt && d.now) setNotOpen({ opensAt: d.loginOpensAt, skew: Date.now() - d.now, values });
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (notOpen) return <LoginCountdown notOpen={notOpen} retry={() => submit(notOpen.values)} />;

  return (
    <div style={{ maxWidth: 440, margin: '6vh auto 0' }}>
      <Card title={<span style={{ fontSize: 18 }}>{t('login.heading')}</span>}>
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={error.code === 'ALREADY_LOGGED_IN_ELSEWHERE' ? t('login.elsewhereTitle') : undefined}
            description={error.message}
            data-testid="login-error"
            role="alert"
          />
        )}
        <Form layout="vertical" onFinish={submit} requiredMark={false} lang={i18n.language}>
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

function LoginCountdown({ notOpen, retry }: { notOpen: NotOpen; retry: () => void }) {
  const { t, i18n } = useTranslation('candidate');
  const [now, setNow] = useState(() => Date.now() - notOpen.skew);
  const fired = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() - notOpen.skew), 500);
    return () => clearInterval(timer);
  }, [notOpen.skew]);
  const left = notOpen.opensAt - now;
  useEffect(() => {
    // A little after the opening instant, so the server clock has surely passed it too.
    if (left <= -300 && !fired.current) {
      fired.current = true;
      retry();
    }
  }, [left, retry]);
  return (
    <Result
      status="info"
      title={t('login.notOpenTitle')}
      subTitle={t('login.notOpenBody', { at: formatClock(notOpen.opensAt, i18n.language) })}
      extra={<Statistic title={t('login.opensIn')} value={formatDuration(left)} data-testid="login-countdown" />}
    />
  );
}
