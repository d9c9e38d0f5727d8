// The staff login form, shared by every staff app (admin, proctor, …). The server's message is shown as is:
// it is already in the user's language and says what to do (wrong password, too many attempts, …).
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type Role } from '@invigil/contracts';
import { ApiError, call } from '../../api/client.ts';
import { toggleLanguage } from '../../i18n/index.ts';
import { ME_KEY } from './staffAuth.ts';
import type { MeT } from './types.ts';
import './i18n.ts';

interface Props {
  /** Name of the console shown above the form, e.g. 管理后台. */
  consoleName: string;
  roles: readonly Role[];
  onLoggedIn: (me: MeT) => void;
}

export default function StaffLogin({ consoleName, roles, onLoggedIn }: Props) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const me = await call(routes.login, { body: v });
      if (!roles.includes(me.role)) {
        // Logged in, but in the wrong console: end that session so the cookie does not linger.
        await call(routes.logout).catch(() => undefined);
        setError(t('login.wrongRole', { role: t(`roles.${me.role}`) }));
        return;
      }
      qc.setQueryData(ME_KEY, me);
      onLoggedIn(me);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            Invigil
          </Typography.Title>
          <Button type="link" size="small" onClick={toggleLanguage}>
            {t('translation:common.language')}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
          {consoleName} · {t('login.title')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
