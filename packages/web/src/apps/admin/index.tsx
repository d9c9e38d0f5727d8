// The admin console at /admin: login, then exams → sessions → candidates, rooms, panels, documents,
// questions; staff accounts; audit-log verification. Every page needs an administrator.
import { Route, Routes, Navigate, useNavigate, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import StaffLogin from './StaffLogin.tsx';
import AdminLayout from './AdminLayout.tsx';
import ExamsPage from './ExamsPage.tsx';
import SessionsPage from './SessionsPage.tsx';
import SessionFormPage from './SessionFormPage.tsx';
import SessionDetailPage from './SessionDetailPage.tsx';
import StaffPage from './StaffPage.tsx';
import AuditPage from './AuditPage.tsx';
import { useMe } from './staffAuth.ts';
import './i18n.ts';

function LoginRoute() {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return <StaffLogin consoleName={t('nav.console')} roles={['admin']} onLoggedIn={() => navigate(from ?? '/admin/exams', { replace: true })} />;
}

/** Pages behind the login: anyone not logged in goes to the login page and comes back afterwards. */
function RequireAdmin() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;
  if (!me.data) return <Navigate to="/admin/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <AdminLayout me={me.data}>
      <Routes>
        <Route index element={<Navigate to="exams" replace />} />
        <Route path="exams" element={<ExamsPage />} />
        <Route path="exams/:examId" element={<SessionsPage />} />
        <Route path="exams/:examId/sessions/new" element={<SessionFormPage />} />
        <Route path="sessions/:sessionId/edit" element={<SessionFormPage />} />
        <Route path="sessions/:sessionId/:tab?" element={<SessionDetailPage />} />
        <Route path="staff" element={<StaffPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="*" element={<Navigate to="exams" replace />} />
      </Routes>
    </AdminLayout>
  );
}

export default function AdminApp() {
  return (
    <Routes>
      <Route path="login" element={<LoginRoute />} />
      <Route path="*" element={<RequireAdmin />} />
    </Routes>
  );
}
