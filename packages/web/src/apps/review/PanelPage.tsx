// One panel: its anonymous numbers with the examiner's own state (待评 / 草稿 / 已提交), filter and sort.
import { useState } from 'react';
import { Breadcrumb, Button, Card, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { routes, type ReviewItem, type ScoreState } from '@invigil/contracts';
import { call } from '../../api/client.ts';

export const STATE_COLOR: Record<ScoreState, string> = { todo: 'default', draft: 'orange', submitted: 'green' };

export default function PanelPage() {
  const { t, i18n } = useTranslation('review');
  const { panelId = '' } = useParams();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<'all' | ScoreState>('all');
  const detail = useQuery({ queryKey: ['review', 'panel', panelId], queryFn: () => call(routes.reviewPanel, { params: { panelId } }) });
  if (detail.isPending) return <Spin style={{ display: 'block', margin: '10vh auto' }} />;
  if (detail.error) return <Typography.Text type="danger">{detail.error.message}</Typography.Text>;
  const { panel, items } = detail.data;
  const shown = items.filter((i) => filter === 'all' || i.state === filter);
  const count = (s: ScoreState) => items.filter((i) => i.state === s).length;
  return (
    <Card
      style={{ maxWidth: 1100, margin: '0 auto' }}
      title={<Breadcrumb items={[{ title: <Link to="/review">{t('panels')}</Link> }, { title: `${panel.panelName} · ${panel.sessionName}` }]} />}
      extra={
        <Typography.Text strong data-testid="progress">
          {t('progress', { done: panel.submitted, total: panel.candidates })}
        </Typography.Text>
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[{ value: 'all', label: `${t('all')} ${items.length}` }, ...(['todo', 'draft', 'submitted'] as const).map((s) => ({ value: s, label: `${t(`states.${s}`)} ${count(s)}` }))]}
        />
      </Space>
      <Table<ReviewItem>
        rowKey="anonymousNumber"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => navigate(`/review/panels/${panelId}/${r.anonymousNumber}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('number'),
            dataIndex: 'anonymousNumber',
            sorter: (a, b) => a.anonymousNumber.localeCompare(b.anonymousNumber),
            defaultSortOrder: 'ascend',
            render: (v: string) => (
              <Typography.Text strong style={{ fontFamily: 'monospace', fontSize: 15 }}>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('state'),
            dataIndex: 'state',
            sorter: (a, b) => ['todo', 'draft', 'submitted'].indexOf(a.state) - ['todo', 'draft', 'submitted'].indexOf(b.state),
            render: (s: ScoreState, r) => (
              <Space>
                <Tag color={STATE_COLOR[s]} data-testid={`state-${r.anonymousNumber}`}>
                  {t(`states.${s}`)}
                </Tag>
                {r.ready ? null : <Tag>{t('notReady')}</Tag>}
              </Space>
            ),
          },
          { title: t('total'), dataIndex: 'total', sorter: (a, b) => (a.total ?? -1) - (b.total ?? -1), render: (v: number | null) => v ?? '—' },
          {
            title: t('updated'),
            dataIndex: 'updatedAt',
            sorter: (a, b) => (a.updatedAt ?? 0) - (b.updatedAt ?? 0),
            render: (v: number | null) => (v ? new Date(v).toLocaleString(i18n.language) : '—'),
          },
          {
            title: '',
            key: 'go',
            render: (_, r) => (
              <Button size="small" type={r.state === 'submitted' ? 'default' : 'primary'}>
                {t('review')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
