// The session's rubric (评分标准): criteria with max points and step, the aggregation rule and the deviation threshold.
import { useEffect } from 'react';
import { App, Button, Form, Input, InputNumber, Radio, Space, Spin, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes, type RubricInput } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import './scores-i18n.ts';

export default function RubricTab({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation('scores');
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RubricInput>();
  const q = useQuery({ queryKey: ['rubric', sessionId], queryFn: () => call(routes.rubric, { params: { id: sessionId } }) });
  useEffect(() => {
    const r = q.data?.rubric;
    form.setFieldsValue(
      r
        ? { criteria: r.criteria, aggregation: r.aggregation, deviationThreshold: r.deviationThreshold }
        : { criteria: [{ name: '', maxPoints: 20, step: 0.5 }], aggregation: 'trimmed', deviationThreshold: 10 },
    );
  }, [q.data, form]);
  const save = useMutation({
    mutationFn: (v: RubricInput) => call(routes.saveRubric, { params: { id: sessionId }, body: v }),
    onSuccess: (r) => {
      qc.setQueryData(['rubric', sessionId], { rubric: r });
      void message.success(t('saved'));
    },
    onError: (e) => void message.error(e.message),
  });
  const criteria = Form.useWatch('criteria', form) ?? [];
  if (q.isPending) return <Spin />;
  const locked = q.data?.rubric?.publishedAt != null;
  const maxTotal = criteria.reduce((s, c) => s + (Number(c?.maxPoints) || 0), 0);
  return (
    <Form form={form} layout="vertical" disabled={locked} onFinish={(v) => save.mutate(v)} style={{ maxWidth: 760 }}>
      <Typography.Title level={5}>{t('criteria')}</Typography.Title>
      <Form.List name="criteria">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'id']} hidden>
                  <Input />
                </Form.Item>
                <Form.Item name={[f.name, 'name']} label={t('criterion')} rules={[{ required: true }]}>
                  <Input style={{ width: 240 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'maxPoints']} label={t('maxPoints')} rules={[{ required: true }]}>
                  <InputNumber min={0.5} step={1} />
                </Form.Item>
                <Form.Item name={[f.name, 'step']} label={t('step')} rules={[{ required: true }]}>
                  <InputNumber min={0.1} step={0.5} />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('remove')} />
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ name: '', maxPoints: 10, step: 0.5 })}>
              {t('add')}
            </Button>
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {t('maxTotal', { n: maxTotal })}
            </Typography.Text>
          </>
        )}
      </Form.List>
      <Form.Item name="aggregation" label={t('aggregation')} style={{ marginTop: 16 }}>
        <Radio.Group options={(['mean', 'trimmed', 'median'] as const).map((r) => ({ value: r, label: t(`rules.${r}`) }))} />
      </Form.Item>
      <Form.Item name="deviationThreshold" label={t('threshold')} extra={t('thresholdHelp')}>
        <InputNumber min={0} step={1} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('save')}
      </Button>
    </Form>
  );
}
