// 考试附件: the process, the commitment letter and the rules a candidate must read and confirm 【已阅】.
import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type DocumentKind } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import type { DocumentT } from './types.ts';

const KINDS: DocumentKind[] = ['process', 'commitment', 'rules'];
const KIND_COLOR: Record<DocumentKind, string> = { process: 'blue', commitment: 'gold', rules: 'red' };
type DocumentForm = { kind: DocumentKind; title: string; body: string; position: number };

export default function DocumentsTab({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const key = ['sessions', sessionId, 'documents'];
  const docs = useQuery({ queryKey: key, queryFn: () => call(routes.documents, { params: { id: sessionId } }) });
  const [editing, setEditing] = useState<{ id: string | null; values: Partial<DocumentForm> } | null>(null);

  async function save(v: DocumentForm) {
    if (editing?.id) await call(routes.updateDocument, { params: { id: sessionId, childId: editing.id }, body: v });
    else await call(routes.createDocument, { params: { id: sessionId }, body: v });
    await qc.invalidateQueries({ queryKey: key });
  }

  const next = (docs.data?.length ?? 0) + 1;
  return (
    <>
      <Alert type="info" showIcon title={t('documents.hint')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, values: { kind: 'process', position: next } })}>
          {t('documents.create')}
        </Button>
      </div>
      <Table<DocumentT>
        rowKey="id"
        size="small"
        loading={docs.isPending}
        dataSource={docs.data}
        pagination={false}
        expandable={{ expandedRowRender: (d) => <div style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}>{d.body}</div> }}
        columns={[
          { title: t('documents.position'), dataIndex: 'position', width: 70 },
          { title: t('documents.kind'), dataIndex: 'kind', width: 140, render: (k: DocumentKind) => <Tag color={KIND_COLOR[k]}>{t(`documents.kinds.${k}`)}</Tag> },
          { title: t('documents.title'), dataIndex: 'title' },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, d) => (
              <Button type="link" size="small" onClick={() => setEditing({ id: d.id, values: d })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<DocumentForm> title={t(editing?.id ? 'documents.edit' : 'documents.create')} values={editing?.values ?? null} onClose={() => setEditing(null)} onSave={save} width={760}>
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item name="kind" label={t('documents.kind')} style={{ width: 200 }}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`documents.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="position" label={t('documents.position')} style={{ width: 120 }}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="title" label={t('documents.title')} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="body" label={t('documents.body')} rules={[{ required: true, message: t('sessionForm.required') }]}>
          <Input.TextArea rows={10} maxLength={100_000} />
        </Form.Item>
      </FormModal>
    </>
  );
}
