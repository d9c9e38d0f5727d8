// One session (场次) and everything that belongs to it, one tab each; the tab is in the URL so it can be linked.
import { Button, Card, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { ExamCrumbs, KIND_COLOR, useExam } from './SessionsPage.tsx';
import DashboardTab from './DashboardTab.tsx';
import CandidatesTab from './CandidatesTab.tsx';
import { PanelsTab, RoomsTab } from './StaffGroupsTab.tsx';
import DocumentsTab from './DocumentsTab.tsx';
import QuestionsTab from './QuestionsTab.tsx';
import { ReadinessView } from '../../readiness/ReadinessView.tsx';
import RubricTab from './RubricTab.tsx';
import ResultsTab from './ResultsTab.tsx';
import MonitorRulesTab from './MonitorRulesTab.tsx';
import './monitor-i18n.ts';

const TABS = ['overview', 'candidates', 'rooms', 'panels', 'documents', 'questions', 'readiness', 'rubric', 'results', 'monitor'] as const;
type TabKey = (typeof TABS)[number];

export default function SessionDetailPage() {
  const { t } = useTranslation('admin');
  const { sessionId = '', tab } = useParams();
  const navigate = useNavigate();
  const session = useQuery({ queryKey: ['sessions', sessionId], queryFn: () => call(routes.session, { params: { id: sessionId! } }) });
  const exam = useExam(session.data?.examId);
  const active: TabKey = TABS.includes(tab as TabKey) ? (tab as TabKey) : 'overview';

  if (session.isPending) return <Spin style={{ display: 'block', margin: '10vh auto' }} />;
  if (!session.data) return <Typography.Text type="danger">{session.error?.message ?? t('common.notFound')}</Typography.Text>;
  const s = session.data;

  const content: Record<TabKey, React.ReactNode> = {
    overview: <DashboardTab session={s} />,
    candidates: <CandidatesTab sessionId={s.id} />,
    rooms: <RoomsTab sessionId={s.id} />,
    panels: <PanelsTab sessionId={s.id} />,
    documents: <DocumentsTab sessionId={s.id} />,
    questions: <QuestionsTab sessionId={s.id} />,
    readiness: <ReadinessView sessionId={s.id} />,
    rubric: <RubricTab sessionId={s.id} />,
    results: <ResultsTab sessionId={s.id} />,
    monitor: <MonitorRulesTab sessionId={s.id} />,
  };

  return (
    <>
      <ExamCrumbs exam={exam} last={s.name} />
      <Card
        title={
          <Space>
            {s.name}
            <Tag color={KIND_COLOR[s.kind]}>{t(`kinds.${s.kind}`)}</Tag>
          </Space>
        }
        extra={
          <Button icon={<EditOutlined />} onClick={() => navigate(`/admin/sessions/${s.id}/edit`)}>
            {t('detail.editSession')}
          </Button>
        }
        styles={{ body: { paddingTop: 8 } }}
      >
        <Tabs
          activeKey={active}
          onChange={(k) => navigate(`/admin/sessions/${s.id}/${k}`, { replace: true })}
          items={TABS.map((k) => ({
            key: k,
            label: k === 'readiness' ? t('readiness:title') : k === 'monitor' ? t('monitorRules:tab') : k === 'rubric' || k === 'results' ? t(`scores:tab.${k}`) : t(`detail.${k}`),
            children: content[k],
          }))}
          destroyOnHidden
        />
      </Card>
    </>
  );
}
