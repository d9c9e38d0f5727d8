// The examiner's panels with their progress ("12 / 30 已评").
import { Card, Empty, List, Progress, Space, Spin, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';

export default function PanelList() {
  const { t } = useTranslation('review');
  const navigate = useNavigate();
  const panels = useQuery({ queryKey: ['review', 'panels'], queryFn: () => call(routes.reviewPanels) });
  if (panels.isPending) return <Spin style={{ display: 'block', margin: '10vh auto' }} />;
  if (panels.error) return <Typography.Text type="danger">{panels.error.message}</Typography.Text>;
  return (
    <Card title={t('panels')} style={{ maxWidth: 960, margin: '0 auto' }}>
      {panels.data.length === 0 ? (
        <Empty description={t('noPanels')} />
      ) : (
        <List
          dataSource={panels.data}
          renderItem={(p) => (
            <List.Item data-testid="panel" style={{ cursor: 'pointer' }} onClick={() => navigate(`/review/panels/${p.panelId}`)} actions={[<a key="open">{t('open')}</a>]}>
              <List.Item.Meta
                title={
                  <Space>
                    {p.panelName}
                    {p.published ? <Tag color="green">{t('published')}</Tag> : null}
                  </Space>
                }
                description={`${p.examName} · ${p.sessionName}`}
              />
              <Space direction="vertical" size={0} style={{ width: 220 }}>
                <Typography.Text strong data-testid="progress">
                  {t('progress', { done: p.submitted, total: p.candidates })}
                </Typography.Text>
                <Progress percent={p.candidates ? Math.round((p.submitted / p.candidates) * 100) : 0} size="small" showInfo={false} />
                {p.drafts ? <Typography.Text type="secondary">{t('drafts', { n: p.drafts })}</Typography.Text> : null}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
