// 考试项目: every exam with a way into its sessions, and the new / edit dialog.
import { useState } from 'react';
import { Button, Card, Form, Input, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import { fmtTime } from './format.ts';
import type { ExamT } from './types.ts';

type ExamForm = { name: string; description: string };

export const EXAMS_KEY = ['exams'] as const;

export default function ExamsPage() {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const exams = useQuery({ queryKey: EXAMS_KEY, queryFn: () => call(routes.exams) });
  const [editing, setEditing] = useState<{ id: string | null; values: ExamForm } | null>(null);

  async function save(v: ExamForm) {
    if (editing?.id) await call(routes.updateExam, { params: { id: editing.id }, body: v });
    else await call(routes.createExam, { body: v });
    await qc.invalidateQueries({ queryKey: EXAMS_KEY });
  }

  return (
    <Card
      title={t('exams.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, values: { name: '', description: '' } })}>
          {t('exams.create')}
        </Button>
      }
    >
      <Table<ExamT>
        rowKey="id"
        loading={exams.isPending}
        dataSource={exams.data}
        locale={{ emptyText: t('exams.empty') }}
        pagination={false}
        columns={[
          { title: t('exams.name'), dataIndex: 'name', render: (name: string, e) => <Link to={`/admin/exams/${e.id}`}>{name}</Link> },
          { title: t('exams.description'), dataIndex: 'description', ellipsis: true },
          { title: t('exams.createdAt'), dataIndex: 'createdAt', width: 170, render: fmtTime },
          {
            title: t('common.actions'),
            width: 200,
            render: (_, e) => (
              <>
                <Link to={`/admin/exams/${e.id}`}>{t('exams.sessions')}</Link>
                <Button type="link" onClick={() => setEditing({ id: e.id, values: { name: e.name, description: e.description } })}>
                  {t('common.edit')}
                </Button>
              </>
            ),
          },
        ]}
      />
      <FormModal<ExamForm> title={editing?.id ? t('exams.edit') : t('exams.create')} values={editing?.values ?? null} onClose={() => setEditing(null)} onSave={save}>
        <Form.Item name="name" label={t('exams.name')} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item name="description" label={t('exams.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
