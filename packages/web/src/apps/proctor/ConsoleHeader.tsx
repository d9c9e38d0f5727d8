// The header every console page shares: pages (监考 / 求助 / 技术支持), the session, live state, user.
import type { ReactNode } from 'react';
import { Badge, Button, Layout, Menu, Space, Typography } from 'antd';
import { GlobalOutlined, LogoutOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import '../../readiness/i18n.ts';
import '../../dashboard/i18n.ts';
import { toggleLanguage } from '../../i18n/index.ts';
import { useLogout } from '../admin/staffAuth.ts';
import type { MeT } from '../admin/types.ts';
import { closeStaffSocket } from '../../api/staff-socket.ts';

export function ConsoleHeader({ me, connected, children, badge = 0 }: { me: MeT; connected: boolean; children?: ReactNode; badge?: number }) {
  const { t } = useTranslation('proctor');
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const logout = useLogout(() => {
    closeStaffSocket();
    navigate('/proctor/login', { replace: true });
  });
  const page = pathname.startsWith('/proctor/help')
    ? 'help'
    : pathname.startsWith('/proctor/support')
      ? 'support'
      : pathname.startsWith('/proctor/readiness')
        ? 'readiness'
        : pathname.startsWith('/proctor/dashboard')
          ? 'dashboard'
          : 'monitor';
  const session = new URLSearchParams(search).get('session');
  const go = (p: string) => navigate(`/proctor${p === 'monitor' ? '' : `/${p}`}${session ? `?session=${session}` : ''}`);
  const items = [
    ...(me.role !== 'support' ? [{ key: 'monitor', label: t('monitor') }] : []),
    {
      key: 'help',
      label: (
        <Badge count={badge} size="small" offset={[8, -2]}>
          {t('help')}
        </Badge>
      ),
    },
    ...(me.role !== 'proctor'
      ? [
          { key: 'support', label: t('support') },
          { key: 'dashboard', label: t('dashboard:title') },
          { key: 'readiness', label: t('readiness:title') },
        ]
      : []),
  ];
  return (
    <Layout.Header style={{ background: '#fff', padding: '0 20px', display: 'flex', alignItems: 'center', gap: 16, borderBottom: '1px solid #f0f0f0', height: 56, lineHeight: '56px' }}>
      <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }}>
        Invigil · {t('console')}
      </Typography.Text>
      <Menu mode="horizontal" selectedKeys={[page]} items={items} onClick={(e) => go(e.key)} style={{ flex: 'none', minWidth: 480, borderBottom: 'none' }} />
      <Space style={{ flex: 1 }}>
        {children}
        <Badge status={connected ? 'success' : 'error'} text={connected ? t('live') : t('offline')} />
      </Space>
      <Space>
        <Typography.Text type="secondary">{me.displayName}</Typography.Text>
        <Button icon={<GlobalOutlined />} onClick={toggleLanguage}>
          {t('translation:common.language')}
        </Button>
        <Button icon={<LogoutOutlined />} onClick={() => logout.mutate()}>
          {t('translation:common.logout')}
        </Button>
      </Space>
    </Layout.Header>
  );
}
