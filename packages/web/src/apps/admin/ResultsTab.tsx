// Results (成绩) of a session for administrators: anonymous number ↔ identity, each examiner's total, the aggregate,
// rank, spread, outliers, the 违纪 decision, flags, uploads; unlock a score, decide conduct, publish, export.
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CONDUCT_RULES, routes, type ConductBody, type ResultRow } from '@invigil/contracts';
import { call, urlOf } from '../../api/client.ts';
import './scores-i18n.ts';

type Examiner = ResultRow['examiners'][number];
const CONDUCT_COLOR = { none: 'default', warning: 'orange', cancel: 'red' } as const;

export default function ResultsTab({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation('scores');
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const key = ['results', sessionId];
  const q = useQuery({ queryKey: key, queryFn: () => call(routes.results, { params: { id: sessionId } }) });
  const [unlocking, setUnlocking] = useState<Examiner | null>(null);
  const [deciding, setDeciding] = useState<ResultRow | null>(null);
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<ConductBody>({ decision: 'none', rule: null, reason: '' });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const onError = (e: Error) => void message.error(e.message);
  const unlock = useMutation({
    mutationFn: () => call(routes.unlockScore, { params: { id: unlocking!.scoreId ?? '' }, body: { reason } }),
    onSuccess: () => (setUnlocking(null), setReason(''), refresh()),
    onError,
  });
  const decide = useMutation({
    mutationFn: () => call(routes.decideConduct, { params: { attemptId: deciding!.attemptId ?? '' }, body: decision }),
    onSuccess: () => (setDeciding(null), refresh()),
    onError,
  });
  const publish = useMutation({ mutationFn: () => call(routes.publishResults, { params: { id: sessionId } }), onSuccess: refresh, onError });

  if (q.isPending) return <Spin />;
  if (q.error) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  const r = q.data;
  const published = r.publishedAt !== null;
  const when = (at: number) => new Date(at).toLocaleString(i18n.language);

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        {!r.rubric ? <Typography.Text type="warning">{t('noRubric')}</Typography.Text> : null}
        {published ? (
          <Tag color="green" data-testid="published">
            {t('published', { time: when(r.publishedAt!) })}
          </Tag>
        ) : (
          <Button type="primary" disabled={!r.rubric} data-testid="publish" onClick={() => modal.confirm({ title: t('publish'), content: t('publishConfirm'), onOk: () => publish.mutateAsync() })}>
            {t('publish')}
          </Button>
        )}
        <Button icon={<DownloadOutlined />} href={urlOf(routes.resultsExport, { params: { id: sessionId }, query: { format: 'xlsx' } })} data-testid="export-xlsx">
          {t('exportXlsx')}
        </Button>
        <Button icon={<DownloadOutlined />} href={urlOf(routes.resultsExport, { params: { id: sessionId }, query: { format: 'csv' } })}>
          {t('exportCsv')}
        </Button>
      </Space>
      <Table<ResultRow>
        rowKey="candidateId"
        size="small"
        dataSource={r.rows}
        scroll={{ x: 1300 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: t('number'),
            dataIndex: 'anonymousNumber',
            fixed: 'left',
            sorter: (a, b) => a.anonymousNumber.localeCompare(b.anonymousNumber),
            render: (v: string) => (
              <Typography.Text strong style={{ fontFamily: 'monospace' }}>
                {v}
              </Typography.Text>
            ),
          },
          { title: t('name'), dataIndex: 'candidateName' },
          { title: t('ticket'), dataIndex: 'ticket' },
          { title: t('panel'), dataIndex: 'panelName' },
          {
            title: t('examiners'),
            key: 'examiners',
            width: 240,
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                {row.examiners.map((e) => (
                  <Space key={e.examinerId} size={4} style={{ whiteSpace: 'nowrap' }}>
                    <span>{e.examinerName}:</span>
                    {e.state === 'submitted' ? (
                      <Typography.Text strong type={e.outlier ? 'danger' : undefined}>
                        {e.total}
                      </Typography.Text>
                    ) : (
                      <Tag>
                        {t(`states.${e.state}`)}
                        {e.total !== null ? ` ${e.total}` : ''}
                      </Tag>
                    )}
                    {e.outlier ? <Tag color="red">{t('outlier')}</Tag> : null}
                    {e.state === 'submitted' && !published ? (
                      <Tooltip title={t('unlock')}>
                        <Button size="small" type="text" icon={<UnlockOutlined />} aria-label={t('unlock')} onClick={() => setUnlocking(e)} />
                      </Tooltip>
                    ) : null}
                  </Space>
                ))}
              </Space>
            ),
          },
          {
            title: t('aggregate'),
            dataIndex: 'aggregate',
            sorter: (a, b) => (a.aggregate ?? -1) - (b.aggregate ?? -1),
            render: (v: number | null, row) => (
              <Space>
                {v ?? '—'}
                {row.final ? null : <Tag>{t('pending')}</Tag>}
              </Space>
            ),
          },
          { title: t('rank'), dataIndex: 'rank', sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9), render: (v: number | null) => v ?? '—' },
          { title: t('spread'), dataIndex: 'spread', render: (v: number | null) => v ?? '—' },
          {
            title: t('conduct'),
            key: 'conduct',
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <Space>
                  <Tag color={CONDUCT_COLOR[row.conduct.decision]}>
                    {t(`conducts.${row.conduct.decision}`)}
                    {row.conduct.rule ? ` · ${row.conduct.rule}` : ''}
                  </Tag>
                  {row.attemptId && !published ? (
                    <Button
                      size="small"
                      onClick={() => (setDecision({ decision: row.conduct.decision, rule: (row.conduct.rule as ConductBody['rule']) ?? null, reason: row.conduct.reason }), setDeciding(row))}
                    >
                      {t('decide')}
                    </Button>
                  ) : null}
                </Space>
                {row.conduct.reason ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.conduct.reason}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('priority'),
            dataIndex: 'reviewPriority',
            sorter: (a, b) => a.reviewPriority - b.reviewPriority,
            sortDirections: ['descend', 'ascend'],
            render: (v: number) => (
              <Tag color={v >= 60 ? 'red' : v >= 30 ? 'orange' : 'default'} data-testid="review-priority">
                {v}
              </Tag>
            ),
          },
          {
            title: t('flags'),
            dataIndex: 'flagsByType',
            render: (v: Record<string, number>) =>
              Object.entries(v).map(([k, n]) => (
                <Tag key={k}>
                  {k} ×{n}
                </Tag>
              )),
          },
          {
            title: t('uploads'),
            dataIndex: 'uploads',
            render: (v: ResultRow['uploads'], row) => (
              <Space size={2} wrap>
                {v.map((u) => (
                  <Tag key={u.stream} color={u.status === 'complete' ? 'green' : u.status === 'partial' ? 'orange' : u.status === 'missing' ? 'red' : 'blue'}>
                    {u.stream} {u.status}
                  </Tag>
                ))}
                {row.proofDeadline !== 'n/a' ? <Tag>{t(`proof.${row.proofDeadline}`)}</Tag> : null}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!unlocking}
        title={unlocking ? t('unlockTitle', { examiner: unlocking.examinerName }) : ''}
        okButtonProps={{ disabled: reason.trim().length < 2, loading: unlock.isPending }}
        onOk={() => unlock.mutate()}
        onCancel={() => setUnlocking(null)}
      >
        <Input.TextArea data-testid="unlock-reason" rows={3} placeholder={t('unlockReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
      <Modal
        open={!!deciding}
        title={deciding ? t('decideTitle', { number: deciding.anonymousNumber }) : ''}
        okButtonProps={{ loading: decide.isPending }}
        onOk={() => decide.mutate()}
        onCancel={() => setDeciding(null)}
      >
        <Form layout="vertical">
          <Form.Item label={t('conduct')}>
            <Radio.Group
              value={decision.decision}
              onChange={(e) => setDecision({ ...decision, decision: e.target.value })}
              options={(['none', 'warning', 'cancel'] as const).map((d) => ({ value: d, label: t(`conducts.${d}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('rule')}>
            <Select
              allowClear
              value={decision.rule ?? undefined}
              onChange={(v) => setDecision({ ...decision, rule: v ?? null })}
              options={CONDUCT_RULES.map((x) => ({ value: x, label: x }))}
              style={{ width: 160 }}
            />
          </Form.Item>
          <Form.Item label={t('reason')}>
            <Input.TextArea rows={3} value={decision.reason} onChange={(e) => setDecision({ ...decision, reason: e.target.value })} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
