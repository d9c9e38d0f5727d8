// The session's in-exam monitor rules (issue #19): per condition on/off, threshold, hold time and whether the
// candidate is told; a preview of how many events they give over the stored scores; apply = re-weight the session.
import { useEffect, useState } from 'react';
import { Alert, App, Button, InputNumber, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { EVENT_LABELS, MonitorCondition, routes, type MonitorPreview, type MonitorRule, type MonitorRules } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import './monitor-i18n.ts';

export default function MonitorRulesTab({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation('monitorRules');
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const key = ['monitor-rules', sessionId];
  const q = useQuery({ queryKey: key, queryFn: () => call(routes.monitorRules, { params: { id: sessionId } }) });
  const [rules, setRules] = useState<MonitorRules | null>(null);
  const [preview, setPreview] = useState<MonitorPreview | null>(null);
  useEffect(() => {
    if (q.data && !rules) setRules(q.data.rules);
  }, [q.data, rules]);
  const onError = (e: Error) => void message.error(e.message);
  const doPreview = useMutation({ mutationFn: (r: MonitorRules) => call(routes.previewMonitorRules, { params: { id: sessionId }, body: { rules: r } }), onSuccess: setPreview, onError });
  const doApply = useMutation({
    mutationFn: (r: MonitorRules) => call(routes.applyMonitorRules, { params: { id: sessionId }, body: { rules: r } }),
    onSuccess: (res) => {
      setPreview(res);
      void message.success(t('applied', { superseded: res.superseded, raised: res.raised }));
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: ['results', sessionId] });
    },
    onError,
  });

  if (q.isPending || !rules) return <Spin />;
  if (q.error) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const set = (c: MonitorCondition, patch: Partial<MonitorRule>) => {
    setRules({ ...rules, [c]: { ...rules[c], ...patch } });
    setPreview(null);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('intro')}
      </Typography.Paragraph>
      <Tag data-testid="monitor-rules-origin">{q.data.custom && q.data.updatedAt ? t('custom', { time: new Date(q.data.updatedAt).toLocaleString(i18n.language) }) : t('defaults')}</Tag>
      <Table<{ c: MonitorCondition }>
        rowKey="c"
        size="small"
        pagination={false}
        dataSource={MonitorCondition.options.map((c) => ({ c }))}
        columns={[
          {
            title: t('condition'),
            key: 'c',
            render: (_, { c }) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{EVENT_LABELS[c][lang]}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`hints.${c}`)}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('on'), key: 'on', render: (_, { c }) => <Switch size="small" checked={rules[c].on} aria-label={`${t('on')} ${c}`} onChange={(on) => set(c, { on })} /> },
          {
            title: t('threshold'),
            key: 'threshold',
            render: (_, { c }) => (
              <InputNumber
                size="small"
                aria-label={`${t('threshold')} ${c}`}
                value={rules[c].threshold}
                step={c === 'looking-away' || c === 'camera-covered' ? 1 : 0.05}
                onChange={(v) => v !== null && set(c, { threshold: v })}
              />
            ),
          },
          {
            title: t('holdSec'),
            key: 'holdSec',
            render: (_, { c }) => <InputNumber size="small" aria-label={`${t('holdSec')} ${c}`} min={0} max={600} value={rules[c].holdSec} onChange={(v) => v !== null && set(c, { holdSec: v })} />,
          },
          { title: t('tell'), key: 'tell', render: (_, { c }) => <Switch size="small" checked={rules[c].tell} aria-label={`${t('tell')} ${c}`} onChange={(tell) => set(c, { tell })} /> },
          ...(preview
            ? [
                { title: t('current'), key: 'current', render: (_: unknown, { c }: { c: MonitorCondition }) => preview.current[c] ?? 0 },
                {
                  title: t('proposed'),
                  key: 'proposed',
                  render: (_: unknown, { c }: { c: MonitorCondition }) => (
                    <Typography.Text strong data-testid={`proposed-${c}`} type={(preview.proposed[c] ?? 0) !== (preview.current[c] ?? 0) ? 'warning' : undefined}>
                      {preview.proposed[c] ?? 0}
                    </Typography.Text>
                  ),
                },
              ]
            : []),
        ]}
      />
      {preview ? (
        <Alert
          data-testid="monitor-preview"
          type="info"
          showIcon
          message={t('previewTitle', { proposed: preview.proposedTotal, current: preview.currentTotal, attempts: preview.attempts, samples: preview.samples })}
        />
      ) : null}
      <Space>
        <Button data-testid="monitor-preview-button" loading={doPreview.isPending} onClick={() => doPreview.mutate(rules)}>
          {t('preview')}
        </Button>
        <Button
          type="primary"
          data-testid="monitor-apply-button"
          loading={doApply.isPending}
          onClick={() => modal.confirm({ title: t('apply'), content: t('applyConfirm'), onOk: () => doApply.mutateAsync(rules) })}
        >
          {t('apply')}
        </Button>
      </Space>
    </Space>
  );
}
