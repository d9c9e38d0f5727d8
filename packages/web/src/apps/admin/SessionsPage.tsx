// An exam's sessions (场次) with their kind, start, duration, candidate count and current phase.
import { Breadcrumb, Button, Card, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { phaseAt, routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { EXAMS_KEY } from './ExamsPage.tsx';
import { fmtTime } from './format.ts';
import type { ExamT, SessionT } from './types.ts';

export const KIND_COLOR = { real: 'blue', 'mock-self': 'green', 'mock-central': 'purple' } as const;
const PHASE_COLOR = { 'not-open': 'default', 'login-open': 'cyan', 'entry-open': 'orange', 'in-progress': 'red', ended: 'default' } as const;

export function useExam(examId: string | undefined) {
  // There is no GET /api/exams/:id; the list is small and usually cached already.
  const exams = useQuery({ queryKey: EXAMS_KEY, queryFn: () => call(routes.exams), enabled: !!examId });
  return exams.data?.find((e) => e.id === examId);
}

export function ExamCrumbs({ exam, last }: { exam: ExamT | undefined; last?: string }) {
  const { t } = useTranslation('admin');
  // The current page is the last crumb and is not a link.
  const examCrumb = !exam ? '…' : last ? <Link to={`/admin/exams/${exam.id}`}>{exam.name}</Link> : exam.name;
  const items = [{ title: <Link to="/admin/exams">{t('nav.exams')}</Link> }, { title: <>{examCrumb}</> }];
  if (last) items.push({ title: <>{last}</> });
  return <Breadcrumb items={items} style={{ marginBottom: 16 }} />;
}

export default function SessionsPage() {
  const { t } = useTranslation('admin');
  const { examId } = useParams();
  const navigate = useNavigate();
  const exam = useExam(examId);
  const sessions = useQuery({ queryKey: ['exams', examId, 'sessions'], queryFn: () => call(routes.examSessions, { params: { id: examId! } }) });
  const now = Date.now();

  return (
    <>
      <ExamCrumbs exam={exam} />
      <Card
        title={t('sessions.title', { exam: exam?.name ?? '' })}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/admin/exams/${examId}/sessions/new`)}>
            {t('sessions.create')}
          </Button>
        }
      >
        <Table<SessionT>
          rowKey="id"
          loading={sessions.isPending}
          dataSource={sessions.data}
          locale={{ emptyText: t('sessions.empty') }}
          pagination={false}
          columns={[
            { title: t('sessions.name'), dataIndex: 'name', render: (name: string, s) => <Link to={`/admin/sessions/${s.id}`}>{name}</Link> },
            { title: t('sessions.kind'), dataIndex: 'kind', width: 110, render: (k: SessionT['kind']) => <Tag color={KIND_COLOR[k]}>{t(`kinds.${k}`)}</Tag> },
            { title: t('sessions.startsAt'), dataIndex: 'startsAt', width: 170, render: fmtTime },
            { title: t('sessions.duration'), dataIndex: 'durationSec', width: 100, render: (s: number) => t('common.minutes', { count: Math.round(s / 60) }) },
            { title: t('sessions.candidates'), dataIndex: 'candidateCount', width: 90, align: 'right' },
            {
              title: t('sessions.status'),
              width: 120,
              render: (_, s) => {
                const phase = phaseAt(s, now).phase;
                return <Tag color={PHASE_COLOR[phase]}>{t(`phases.${phase}`)}</Tag>;
              },
            },
            {
              title: t('common.actions'),
              width: 150,
              render: (_, s) => (
                <>
                  <Link to={`/admin/sessions/${s.id}`}>{t('sessions.manage')}</Link>
                  <Button type="link" onClick={() => navigate(`/admin/sessions/${s.id}/edit`)}>
                    {t('common.edit')}
                  </Button>
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
