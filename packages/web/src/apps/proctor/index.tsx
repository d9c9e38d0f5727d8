// The staff console at /proctor: the room grid with live view, flags, warnings and ending an exam (proctors,
// admins), 求助 at /proctor/help (everyone), the support view at /proctor/support and the live dashboard at
// /proctor/dashboard (support, admins).
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import StaffLogin from '../admin/StaffLogin.tsx';
import { isStaffOf, useMe } from '../admin/staffAuth.ts';
import type { MeT } from '../admin/types.ts';
import type { Role } from '@invigil/contracts';
import HelpConsole from './HelpConsole.tsx';
import MonitorConsole from './MonitorConsole.tsx';
import SupportView from './SupportView.tsx';
import ReadinessPage from './ReadinessPage.tsx';
import DashboardPage from './DashboardPage.tsx';
import './i18n.ts';

// Support and administrators answer help requests too (the server scopes what each role sees).
const ROLES = ['proctor', 'support', 'admin'] as const;

function Guard({ roles, page }: { roles: readonly Role[]; page: (me: MeT) => React.ReactNode }) {
  const me = useMe();
  const here = useLocation();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;
  // After logging in, come back to the page that was asked for (e.g. a /proctor/help link).
  if (!isStaffOf(me.data, ROLES)) return <Navigate to="/proctor/login" replace state={{ from: here.pathname + here.search }} />;
  // Support staff land on their own view; proctors never see it.
  if (!roles.includes(me.data!.role)) return <Navigate to={me.data!.role === 'support' ? '/proctor/support' : '/proctor'} replace />;
  return page(me.data!);
}

function Login() {
  const { t } = useTranslation('proctor');
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const back = from?.startsWith('/proctor') && !from.startsWith('/proctor/login') ? from : '/proctor';
  return <StaffLogin consoleName={t('console')} roles={ROLES} onLoggedIn={() => navigate(back, { replace: true })} />;
}

export default function ProctorApp() {
  return (
    <Routes>
      <Route path="login" element={<Login />} />
      <Route path="help" element={<Guard roles={ROLES} page={(me) => <HelpConsole me={me} />} />} />
      <Route path="dashboard" element={<Guard roles={['support', 'admin']} page={(me) => <DashboardPage me={me} />} />} />
      <Route path="readiness" element={<Guard roles={['support', 'admin']} page={(me) => <ReadinessPage me={me} />} />} />
      <Route path="support" element={<Guard roles={['support', 'admin']} page={(me) => <SupportView me={me} />} />} />
      <Route path="*" element={<Guard roles={['proctor', 'admin']} page={(me) => <MonitorConsole me={me} />} />} />
    </Routes>
  );
}
