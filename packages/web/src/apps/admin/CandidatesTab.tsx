// 考生: the session's candidates, paged and searched on the server (a session may have thousands),
// with 导入考生 (file import) and 添加考生 (one by one).
import { useState } from 'react';
import { Button, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import ImportCandidatesDialog from './ImportCandidatesDialog.tsx';
import type { CandidateT } from './types.ts';

const PAGE_SIZE = 20;
type CandidateForm = { name: string; idNumber: string; ticket: string; roomId: string | null };

export function useRooms(sessionId: string) {
  return useQuery({ queryKey: ['sessions', sessionId, 'rooms'], queryFn: () => call(routes.rooms, { params: { id: sessionId } }) });
}

export default function CandidatesTab({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [importing, setImporting] = useState(false);
  const [adding, setAdding] = useState<Partial<CandidateForm> | null>(null);
  const rooms = useRooms(sessionId);
  const roomName = new Map(rooms.data?.map((r) => [r.id, r.name]));
  const list = useQuery({
    queryKey: ['sessions', sessionId, 'candidates', page, q],
    queryFn: () => call(routes.candidates, { params: { id: sessionId }, query: { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, ...(q ? { q } : {}) } }),
    placeholderData: keepPreviousData,
  });

  // Counts show up in the session list, the overview and the rooms (import may create rooms).
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['sessions', sessionId] }), qc.invalidateQueries({ queryKey: ['exams'] })]);

  async function add(v: CandidateForm) {
    await call(routes.createCandidate, { params: { id: sessionId }, body: { ...v, roomId: v.roomId ?? null } });
    await refresh();
  }
  async function remove(c: CandidateT) {
    await call(routes.deleteCandidate, { params: { id: sessionId, childId: c.id } });
    await refresh();
  }

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('candidates.search')}
          aria-label={t('candidates.search')}
          style={{ width: 320 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
        <Space>
          <Typography.Text data-testid="candidate-total">{t('candidates.total', { count: list.data?.total ?? 0 })}</Typography.Text>
          <Button icon={<PlusOutlined />} onClick={() => setAdding({ roomId: null })}>
            {t('candidates.add')}
          </Button>
          <Button type="primary" icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            {t('import.button')}
          </Button>
        </Space>
      </Space>
      <Table<CandidateT>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        columns={[
          { title: t('candidates.ticket'), dataIndex: 'ticket', width: 150 },
          { title: t('candidates.name'), dataIndex: 'name', width: 120 },
          { title: t('candidates.idNumber'), dataIndex: 'idNumber', width: 200 },
          { title: t('candidates.room'), dataIndex: 'roomId', render: (id: string | null) => (id ? roomName.get(id) ?? '…' : <Typography.Text type="secondary">{t('candidates.unassigned')}</Typography.Text>) },
          { title: t('candidates.anonymousNumber'), dataIndex: 'anonymousNumber', width: 110 },
          { title: t('candidates.photo'), dataIndex: 'hasPhoto', width: 100, render: (v: boolean) => (v ? <Tag color="green">{t('candidates.hasPhoto')}</Tag> : <Tag>{t('candidates.noPhoto')}</Tag>) },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, c) => (
              <Popconfirm title={t('candidates.deleteConfirm', { name: c.name })} onConfirm={() => remove(c)} okText={t('translation:common.confirm')} cancelText={t('translation:common.cancel')}>
                <Button type="link" danger size="small">
                  {t('candidates.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <ImportCandidatesDialog sessionId={sessionId} open={importing} onClose={() => setImporting(false)} onImported={() => void refresh()} />
      <FormModal<CandidateForm> title={t('candidates.add')} values={adding} onClose={() => setAdding(null)} onSave={add}>
        <Form.Item name="name" label={t('candidates.name')} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="idNumber" label={t('candidates.idNumber')} rules={[{ required: true, min: 6, message: t('sessionForm.required') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="ticket" label={t('candidates.ticket')} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="roomId" label={t('candidates.room')}>
          <Select allowClear placeholder={t('candidates.unassigned')} options={rooms.data?.map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
      </FormModal>
    </>
  );
}
