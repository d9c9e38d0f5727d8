// The console frame: side menu (exams, staff, audit), the user's name, language switch and logout.
import type { ReactNode } from 'react';
import { Button, Layout, Menu, Result, Space, Typography } from 'antd';
import { AuditOutlined, CalendarOutlined, GlobalOutlined, LogoutOutlined, TeamOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { toggleLanguage } from '../../i18n/index.ts';
import { useLogout } from './staffAuth.ts';
import type { MeT } from './types.ts';

const SECTIONS = [
  { key: 'exams', icon: <CalendarOutlined />, paths: ['/admin/exams', '/admin/sessions'] },
  { key: 'staff', icon: <TeamOutlined />, paths: ['/admin/staff'] },
  { key: 'audit', icon: <AuditOutlined />, paths: ['/admin/audit'] },
] as const;

export default function AdminLayout({ me, children }: { me: MeT; children: ReactNode }) {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const logout = useLogout(() => navigate('/admin/login', { replace: true }));
  const selected = SECTIONS.find((s) => s.paths.some((p) => pathname.startsWith(p)))?.key ?? 'exams';

  const header = (
    <Layout.Header
      style={{
        position: 'sticky',
        top: 0,
        zIndex: 10,
        background: '#fff',
        padding: '0 24px',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'space-between',
        borderBottom: '1px solid #f0f0f0',
      }}
    >
      <Typography.Text strong style={{ fontSize: 16 }}>
        Invigil · {t('nav.console')}
      </Typography.Text>
      <Space size="middle">
        <Typography.Text type="secondary">
          {me.displayName}（{t(`roles.${me.role}`)}）
        </Typography.Text>
        <Button icon={<GlobalOutlined />} onClick={toggleLanguage}>
          {t('translation:common.language')}
        </Button>
        <Button icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending}>
          {t('translation:common.logout')}
        </Button>
      </Space>
    </Layout.Header>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0', position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
        <div style={{ height: 64, display: 'flex', alignItems: 'center', padding: '0 24px', fontWeight: 600, color: '#1557b0', fontSize: 18 }}>Invigil</div>
        <nav aria-label={t('nav.console')}>
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            style={{ borderInlineEnd: 'none' }}
            items={SECTIONS.map((s) => ({ key: s.key, icon: s.icon, label: t(`nav.${s.key}`) }))}
            onClick={({ key }) => navigate(`/admin/${key}`)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        {header}
        <Layout.Content style={{ padding: 24, minWidth: 0 }}>{me.role === 'admin' ? children : <Result status="403" title={t('layout.forbidden')} />}</Layout.Content>
      </Layout>
    </Layout>
  );
}
