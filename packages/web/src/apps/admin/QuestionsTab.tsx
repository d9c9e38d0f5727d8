// 试题: the session's questions. Before the start the server seals their text for everybody, admins included
// (body null); after the start the text is still hidden in the list until asked for (shoulder surfing).
import { useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Table, Tag, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import FormModal from './FormModal.tsx';
import type { QuestionT } from './types.ts';

type QuestionForm = { title: string; body: string; position: number };
type Editing = { id: string | null; sealed: boolean; values: Partial<QuestionForm> };

export default function QuestionsTab({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('admin');
  const qc = useQueryClient();
  const key = ['sessions', sessionId, 'questions'];
  const questions = useQuery({ queryKey: key, queryFn: () => call(routes.questions, { params: { id: sessionId } }) });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [shown, setShown] = useState(false);

  async function save(v: QuestionForm) {
    if (editing?.id) await call(routes.updateQuestion, { params: { id: sessionId, childId: editing.id }, body: v });
    else await call(routes.createQuestion, { params: { id: sessionId }, body: v });
    await qc.invalidateQueries({ queryKey: key });
  }

  return (
    <>
      <Alert type="warning" showIcon icon={<LockOutlined />} title={t('questions.secret')} description={t('questions.secretBody')} style={{ marginBottom: 12 }} />
      <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginBottom: 12 }}>
        {questions.data?.some((q) => !q.sealed) && (
          <Button icon={shown ? <EyeInvisibleOutlined /> : <EyeOutlined />} onClick={() => setShown(!shown)} aria-pressed={shown}>
            {t(shown ? 'questions.hide' : 'questions.show')}
          </Button>
        )}
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, sealed: false, values: { position: (questions.data?.length ?? 0) + 1 } })}>
          {t('questions.create')}
        </Button>
      </div>
      <Table<QuestionT>
        rowKey="id"
        size="small"
        loading={questions.isPending}
        dataSource={questions.data}
        pagination={false}
        columns={[
          { title: t('questions.position'), dataIndex: 'position', width: 70 },
          {
            title: t('questions.title'),
            dataIndex: 'title',
            width: 260,
            // Sealed before the start like the text: only the position is known (issue #13).
            render: (title: string | null, q) =>
              title ?? (
                <Typography.Text type="secondary" data-testid="question-title-sealed">
                  {t('questions.sealedTitle', { n: q.position })}
                </Typography.Text>
              ),
          },
          {
            title: t('questions.body'),
            dataIndex: 'body',
            render: (b: string | null) =>
              b === null ? (
                <Tag icon={<LockOutlined />}>{t('questions.sealed')}</Tag>
              ) : shown ? (
                <div style={{ whiteSpace: 'pre-wrap' }}>{b}</div>
              ) : (
                <span aria-label={t('questions.hiddenText')}>••••••••</span>
              ),
          },
          {
            title: t('common.actions'),
            width: 100,
            render: (_, q) => (
              <Button type="link" size="small" onClick={() => setEditing({ id: q.id, sealed: q.sealed, values: { title: q.title ?? '', position: q.position, body: q.body ?? '' } })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <FormModal<QuestionForm> title={t(editing?.id ? 'questions.edit' : 'questions.create')} values={editing?.values ?? null} onClose={() => setEditing(null)} onSave={save} width={760}>
        <Alert type="warning" showIcon title={t(editing?.sealed ? 'questions.sealedEdit' : 'questions.secretBody')} style={{ marginBottom: 16 }} />
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item name="title" label={t('questions.title')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('sessionForm.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="position" label={t('questions.position')} style={{ width: 120 }}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="body" label={t('questions.body')} rules={[{ required: true, message: t('sessionForm.required') }]}>
          <Input.TextArea rows={8} maxLength={100_000} />
        </Form.Item>
      </FormModal>
    </>
  );
}
