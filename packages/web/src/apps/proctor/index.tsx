// The proctor console at /proctor. For now: staff login and the 求助 (help chat) console; the live grid of
// a room's candidates comes with its own issue.
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import StaffLogin from '../admin/StaffLogin.tsx';
import { isStaffOf, useMe } from '../admin/staffAuth.ts';
import HelpConsole from './HelpConsole.tsx';
import './i18n.ts';

// Support and administrators answer help requests too (the server scopes what each role sees).
const ROLES = ['proctor', 'support', 'admin'] as const;

function Console() {
  const me = useMe();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;
  if (!isStaffOf(me.data, ROLES)) return <Navigate to="/proctor/login" replace />;
  return <HelpConsole me={me.data!} />;
}

function Login() {
  const { t } = useTranslation('proctor');
  const navigate = useNavigate();
  return <StaffLogin consoleName={t('console')} roles={ROLES} onLoggedIn={() => navigate('/proctor', { replace: true })} />;
}

export default function ProctorApp() {
  return (
    <Routes>
      <Route path="login" element={<Login />} />
      <Route path="*" element={<Console />} />
    </Routes>
  );
}
