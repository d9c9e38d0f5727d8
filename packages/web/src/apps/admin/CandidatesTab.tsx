// 考生: the session's candidates, paged and searched on the server (a session may have thousands),
// with 导入考生 (file import), 添加考生 (one by one), 报名照片 (a .zip or one photo, replace) and 延时 (extra time).
import { useState } from 'react';
import { Button, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { ClockCircleOutlined, PictureOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import ImportCandidatesDialog from './ImportCandidatesDialog.tsx';
import { ImportPhotosDialog, PhotoUploadButton } from '../../photos/index.ts';
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
  const [importingPhotos, setImportingPhotos] = useState(false);
  const [extra, setExtra] = useState<{ candidate: CandidateT; values: { minutes: number } } | null>(null);
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
  async function saveExtraTime(v: { minutes: number }) {
    await call(routes.setExtraTime, { params: { id: sessionId, candidateId: extra!.candidate.id }, body: { extraTimeSec: Math.round(v.minutes * 60) } });
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
          <Button icon={<PictureOutlined />} onClick={() => setImportingPhotos(true)}>
            {t('photos:importZip')}
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
          {
            title: t('candidates.room'),
            dataIndex: 'roomId',
            render: (id: string | null) => (id ? (roomName.get(id) ?? '…') : <Typography.Text type="secondary">{t('candidates.unassigned')}</Typography.Text>),
          },
          { title: t('candidates.anonymousNumber'), dataIndex: 'anonymousNumber', width: 110 },
          {
            title: t('candidates.photo'),
            dataIndex: 'hasPhoto',
            width: 190,
            render: (v: boolean, c) => (
              <Space size={0} data-testid={`photo-cell-${c.ticket}`}>
                {v ? <Tag color="green">{t('candidates.hasPhoto')}</Tag> : <Tag>{t('candidates.noPhoto')}</Tag>}
                <PhotoUploadButton candidateId={c.id} candidateName={c.name} mode={v ? 'replace' : 'upload'} onDone={() => void refresh()} />
              </Space>
            ),
          },
          {
            title: t('candidates.extraTime'),
            dataIndex: 'extraTimeSec',
            width: 120,
            render: (v: number | undefined, c) => (
              <Button
                size="small"
                type="link"
                icon={<ClockCircleOutlined />}
                onClick={() => setExtra({ candidate: c, values: { minutes: Math.round((v ?? 0) / 6) / 10 } })}
                data-testid={`extra-${c.ticket}`}
              >
                {v ? t('candidates.extraMinutes', { count: Math.round(v / 6) / 10 }) : t('candidates.noExtra')}
              </Button>
            ),
          },
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
      <ImportPhotosDialog sessionId={sessionId} open={importingPhotos} onClose={() => setImportingPhotos(false)} onImported={() => void refresh()} />
      <FormModal<{ minutes: number }>
        title={extra ? t('candidates.extraTitle', { name: extra.candidate.name }) : ''}
        values={extra?.values ?? null}
        onClose={() => setExtra(null)}
        onSave={saveExtraTime}
      >
        <Typography.Paragraph type="secondary">{t('candidates.extraHint')}</Typography.Paragraph>
        <Form.Item name="minutes" label={t('candidates.extraLabel')} rules={[{ required: true, type: 'number', min: 0, max: 240, message: t('candidates.extraRange') }]}>
          <InputNumber min={0} max={240} step={1} style={{ width: 160 }} />
        </Form.Item>
      </FormModal>
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
