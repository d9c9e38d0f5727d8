// The examiner app at /review: login, the panels (评委组) with progress, each panel's anonymous numbers, and the
// review page (synchronized playback + rubric). Examiners only; the server shows them anonymous numbers only.
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Button, Layout, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import StaffLogin from '../admin/StaffLogin.tsx';
import { isStaffOf, useLogout, useMe } from '../admin/staffAuth.ts';
import { toggleLanguage } from '../../i18n/index.ts';
import PanelList from './PanelList.tsx';
import PanelPage from './PanelPage.tsx';
import ReviewPage from './ReviewPage.tsx';
import './i18n.ts';

const ROLES = ['examiner'] as const;

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation('review');
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout(() => navigate('/review/login', { replace: true }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ background: '#fff', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #eee', paddingInline: 20 }}>
        <Typography.Title level={4} style={{ margin: 0, cursor: 'pointer' }} onClick={() => navigate('/review')}>
          Invigil · {t('console')}
        </Typography.Title>
        <Space>
          <Typography.Text>{me.data?.displayName}</Typography.Text>
          <Button type="link" onClick={toggleLanguage}>
            {t('translation:common.language')}
          </Button>
          <Button onClick={() => logout.mutate()}>{t('translation:common.logout')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>{children}</Layout.Content>
    </Layout>
  );
}

function Guard({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const here = useLocation();
  // The page renders while "who is logged in" is still being asked, so its own requests (the review page's
  // videos above all) start at once instead of after it. This guard only sends a stranger to the login; the
  // server decides on every request what an examiner may see.
  if (!me.isPending && !isStaffOf(me.data, ROLES)) return <Navigate to="/review/login" replace state={{ from: here.pathname + here.search }} />;
  return <Shell>{children}</Shell>;
}

function Login() {
  const { t } = useTranslation('review');
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const back = from?.startsWith('/review') && !from.startsWith('/review/login') ? from : '/review';
  return <StaffLogin consoleName={t('console')} roles={ROLES} onLoggedIn={() => navigate(back, { replace: true })} />;
}

export default function ReviewApp() {
  return (
    <Routes>
      <Route path="login" element={<Login />} />
      <Route
        path="panels/:panelId/:anon"
        element={
          <Guard>
            <ReviewPage />
          </Guard>
        }
      />
      <Route
        path="panels/:panelId"
        element={
          <Guard>
            <PanelPage />
          </Guard>
        }
      />
      <Route
        path="*"
        element={
          <Guard>
            <PanelList />
          </Guard>
        }
      />
    </Routes>
  );
}
