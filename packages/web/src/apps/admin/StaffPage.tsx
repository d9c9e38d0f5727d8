// 工作人员: staff accounts with their role; create, disable and enable. Disabling logs the person out at once.
import { useState } from 'react';
import { Button, Card, Form, Input, Popconfirm, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type StaffRole } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import { useMe } from './staffAuth.ts';
import type { StaffUserT } from './types.ts';

const ROLES: StaffRole[] = ['admin', 'proctor', 'examiner', 'support'];
const ROLE_COLOR: Record<StaffRole, string> = { admin: 'red', proctor: 'blue', examiner: 'purple', support: 'cyan' };
type StaffForm = { username: string; displayName: string; role: StaffRole; password: string };

export const STAFF_KEY = ['staff'] as const;
export const useStaff = () => useQuery({ queryKey: STAFF_KEY, queryFn: () => call(routes.staff) });

export default function StaffPage() {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const staff = useStaff();
  const me = useMe();
  const [creating, setCreating] = useState<Partial<StaffForm> | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create(v: StaffForm) {
    await call(routes.createStaff, { body: v });
    await qc.invalidateQueries({ queryKey: STAFF_KEY });
  }
  async function setDisabled(u: StaffUserT, disabled: boolean) {
    setError(null);
    try {
      await call(routes.updateStaff, { params: { id: u.id }, body: { disabled } });
      await qc.invalidateQueries({ queryKey: STAFF_KEY });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Card
      title={t('staff.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ role: 'proctor' })}>
          {t('staff.create')}
        </Button>
      }
    >
      {error && (
        <Tag color="error" style={{ marginBottom: 12 }}>
          {error}
        </Tag>
      )}
      <Table<StaffUserT>
        rowKey="id"
        loading={staff.isPending}
        dataSource={staff.data}
        pagination={false}
        columns={[
          { title: t('staff.username'), dataIndex: 'username' },
          { title: t('staff.displayName'), dataIndex: 'displayName' },
          { title: t('staff.role'), dataIndex: 'role', render: (r: StaffRole) => <Tag color={ROLE_COLOR[r]}>{t(`roles.${r}`)}</Tag> },
          { title: t('staff.status'), dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>{t('staff.disabled')}</Tag> : <Tag color="green">{t('staff.active')}</Tag>) },
          {
            title: t('common.actions'),
            width: 120,
            render: (_, u) =>
              // An administrator cannot lock themself out from here.
              u.id === me.data?.userId ? null : u.disabled ? (
                <Button type="link" size="small" onClick={() => setDisabled(u, false)}>
                  {t('staff.enable')}
                </Button>
              ) : (
                <Popconfirm
                  title={t('staff.disableConfirm', { name: u.displayName })}
                  onConfirm={() => setDisabled(u, true)}
                  okText={t('translation:common.confirm')}
                  cancelText={t('translation:common.cancel')}
                >
                  <Button type="link" size="small" danger>
                    {t('staff.disable')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <FormModal<StaffForm> title={t('staff.create')} values={creating} onClose={() => setCreating(null)} onSave={create}>
        <Form.Item name="username" label={t('staff.username')} extra={t('staff.usernameRule')} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{2,64}$/, message: t('staff.usernameRule') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('staff.displayName')} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="role" label={t('staff.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="password" label={t('staff.password')} extra={t('staff.passwordRule')} rules={[{ required: true, min: 8, message: t('staff.passwordRule') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
