// 考场 (rooms, watched by proctors) and 评委组 (panels, scored by examiners): the same shape — a named group
// of a session with staff of one role — so one component serves both.
import { useState } from 'react';
import { Alert, Button, Form, Input, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import { useStaff } from './StaffPage.tsx';
import type { StaffUserT } from './types.ts';

interface GroupKind {
  /** URL segment and i18n prefix. */
  path: 'rooms' | 'panels';
  role: 'proctor' | 'examiner';
  /** The field of the API object that lists the staff ids. */
  members: 'proctorIds' | 'examinerIds';
}

type Group = { id: string; name: string } & Partial<Record<GroupKind['members'], string[]>>;
type GroupForm = { name: string; staffIds: string[] };

function StaffGroupsTab({ sessionId, kind }: { sessionId: string; kind: GroupKind }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const key = ['sessions', sessionId, kind.path];
  const groups = useQuery({
    queryKey: key,
    queryFn: (): Promise<Group[]> => (kind.path === 'rooms' ? call(routes.rooms, { params: { id: sessionId } }) : call(routes.panels, { params: { id: sessionId } })),
  });
  const staff = useStaff();
  const eligible = staff.data?.filter((u) => u.role === kind.role) ?? [];
  const byId = new Map<string, StaffUserT>(staff.data?.map((u) => [u.id, u]));
  const [editing, setEditing] = useState<{ id: string | null; values: GroupForm } | null>(null);

  async function save(v: GroupForm) {
    const [name, ids, childId] = [v.name, v.staffIds ?? [], editing?.id];
    if (kind.path === 'rooms') {
      const body = { name, proctorIds: ids };
      await (childId ? call(routes.updateRoom, { params: { id: sessionId, childId }, body }) : call(routes.createRoom, { params: { id: sessionId }, body }));
    } else {
      const body = { name, examinerIds: ids };
      await (childId ? call(routes.updatePanel, { params: { id: sessionId, childId }, body }) : call(routes.createPanel, { params: { id: sessionId }, body }));
    }
    await qc.invalidateQueries({ queryKey: key });
  }

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, values: { name: '', staffIds: [] } })}>
          {t(`${kind.path}.create`)}
        </Button>
      </div>
      <Table<Group>
        rowKey="id"
        size="small"
        loading={groups.isPending}
        dataSource={groups.data}
        pagination={false}
        columns={[
          { title: t(`${kind.path}.name`), dataIndex: 'name', width: 240 },
          {
            title: t(kind.role === 'proctor' ? 'rooms.proctors' : 'panels.examiners'),
            render: (_, g) =>
              (g[kind.members] ?? []).length ? (g[kind.members] ?? []).map((id) => <Tag key={id}>{byId.get(id)?.displayName ?? id}</Tag>) : <Tag color="warning">{t('candidates.unassigned')}</Tag>,
          },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, g) => (
              <Button type="link" size="small" onClick={() => setEditing({ id: g.id, values: { name: g.name, staffIds: g[kind.members] ?? [] } })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<GroupForm> title={t(`${kind.path}.${editing?.id ? 'edit' : 'create'}`)} values={editing?.values ?? null} onClose={() => setEditing(null)} onSave={save}>
        <Form.Item name="name" label={t(`${kind.path}.name`)} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        {staff.isSuccess && !eligible.length && <Alert type="info" showIcon title={t(`${kind.path}.noStaff`)} style={{ marginBottom: 16 }} />}
        <Form.Item name="staffIds" label={t(kind.role === 'proctor' ? 'rooms.proctors' : 'panels.examiners')}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={eligible.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）`, disabled: u.disabled }))} />
        </Form.Item>
      </FormModal>
    </>
  );
}

export const RoomsTab = ({ sessionId }: { sessionId: string }) => <StaffGroupsTab sessionId={sessionId} kind={{ path: 'rooms', role: 'proctor', members: 'proctorIds' }} />;
export const PanelsTab = ({ sessionId }: { sessionId: string }) => <StaffGroupsTab sessionId={sessionId} kind={{ path: 'panels', role: 'examiner', members: 'examinerIds' }} />;
