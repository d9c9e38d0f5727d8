// 七、开始答题: the waiting-room countdown (show the blank A4 sheet), then at the server's start the question
// appears by itself with the answer countdown. The side panel keeps the live camera, the volume bar, who is
// sitting, the countdown, 【求助】 and 【结束考试】 in view the whole time.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Card, Col, Descriptions, Row, Space, Spin, Statistic, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { endAttempt, fetchQuestion } from '../api.ts';
import { formatDuration, useServerNow } from '../clock.ts';
import { useExamMedia } from '../exam-media.ts';
import { CameraPreview, VolumeBar } from '../components/Media.tsx';
import { SeedButton, seedLabel } from '../components/SeedButton.tsx';
import { HelpDrawer } from './HelpDrawer.tsx';
import { LiveAnnouncement } from '../components/SrOnly.tsx';
import { announcedCountdown } from '../../phone/exam-clock.ts';

export function ExamRoom({ attempt, onEnded, onTimeUp }: { attempt: AttemptState; onEnded: (s: AttemptState) => void; onTimeUp: () => void }) {
  const now = useServerNow(250);
  const started = now >= attempt.timeline.startsAt;
  const timeUp = now >= attempt.timeline.endsAt;
  const firedTimeUp = useRef(false);
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    if (timeUp && !firedTimeUp.current) {
      firedTimeUp.current = true;
      onTimeUp();
    }
  }, [timeUp, onTimeUp]);

  return (
    <Row gutter={16} wrap={false}>
      <Col flex="auto" style={{ minWidth: 0 }}>
        {started ? <QuestionPanel /> : <WaitingPanel startsAt={attempt.timeline.startsAt} now={now} />}
      </Col>
      <Col flex="360px">
        <SidePanel attempt={attempt} now={now} started={started} onHelp={() => setHelpOpen(true)} onEnded={onEnded} />
      </Col>
      <HelpDrawer open={helpOpen} onClose={() => setHelpOpen(false)} />
    </Row>
  );
}

function WaitingPanel({ startsAt, now }: { startsAt: number; now: number }) {
  const { t } = useTranslation('candidate');
  return (
    <Card title={t('waiting.title')} data-testid="waiting-room">
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Statistic title={t('waiting.startsIn')} value={formatDuration(startsAt - now)} styles={{ content: { fontSize: 44, color: '#1557b0' } }} data-testid="start-countdown" />
        <Alert type="warning" showIcon title={t('waiting.a4')} />
        <Typography.Paragraph style={{ margin: 0 }}>{t('waiting.desk')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('waiting.auto')}
        </Typography.Paragraph>
      </Space>
    </Card>
  );
}

function QuestionPanel() {
  const { t } = useTranslation('candidate');
  // The server releases the question at the start; a request a few ms early (clock offset) gets 403 and retries.
  const q = useQuery({ queryKey: ['question'], queryFn: fetchQuestion, retry: 30, retryDelay: (n) => Math.min(500 * 2 ** n, 4000), staleTime: Infinity });
  return (
    <Card title={t('answer.question')} data-testid="question-panel" extra={<SeedButton word="刷新题目" onClick={() => void q.refetch()} loading={q.isFetching} data-testid="reload-question" />}>
      {q.data ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={t('answer.a4')} />
          {q.data.questions.map((item) => (
            <section key={item.id} data-testid="question">
              <Typography.Title level={4}>{item.title}</Typography.Title>
              <Typography.Paragraph style={{ fontSize: 18, lineHeight: 1.9, whiteSpace: 'pre-wrap' }}>{item.body}</Typography.Paragraph>
            </section>
          ))}
          <Typography.Text type="secondary">{t('answer.finish')}</Typography.Text>
        </Space>
      ) : q.isError && !q.isFetching ? (
        <Alert type="error" showIcon role="alert" title={t('answer.failed')} description={q.error instanceof ApiError ? q.error.message : undefined} />
      ) : (
        <Spin tip={t('answer.loading')}>
          <div style={{ height: 160 }} />
        </Spin>
      )}
    </Card>
  );
}

function SidePanel({ attempt, now, started, onHelp, onEnded }: { attempt: AttemptState; now: number; started: boolean; onHelp: () => void; onEnded: (s: AttemptState) => void }) {
  const { t, i18n } = useTranslation('candidate');
  const { modal, message } = App.useApp();
  const media = useExamMedia();
  const tl = attempt.timeline;
  function confirmEnd() {
    modal.confirm({
      title: t('answer.endTitle'),
      content: t('answer.endBody'),
      okText: seedLabel('结束考试', i18n.language),
      okButtonProps: { danger: true },
      cancelText: t('answer.endCancel'),
      onOk: async () => {
        try {
          onEnded(await endAttempt());
        } catch (e) {
          message.error(e instanceof ApiError ? e.message : String(e));
        }
      },
    });
  }
  return (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <Space orientation="vertical" size={10} style={{ width: '100%' }}>
        <CameraPreview stream={media.live?.stream ?? null} height={220} label={t('device.camera')} />
        <VolumeBar stream={media.live?.microphone ?? null} />
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'name', label: t('answer.name'), children: <span data-testid="exam-name">{attempt.candidate.name}</span> },
            { key: 'ticket', label: t('answer.ticket'), children: attempt.candidate.ticket },
          ]}
        />
        <Statistic
          title={started ? t('answer.remaining') : t('waiting.startsIn')}
          value={formatDuration((started ? tl.endsAt : tl.startsAt) - now)}
          styles={{ content: { color: started && tl.endsAt - now < 60_000 ? '#cf1322' : undefined } }}
          data-testid="side-countdown"
        />
        <LiveAnnouncement testId="countdown-announce">{`${started ? t('answer.remaining') : t('waiting.startsIn')} ${announcedCountdown((started ? tl.endsAt : tl.startsAt) - now)}`}</LiveAnnouncement>
        <Space>
          <SeedButton word="求助" onClick={onHelp} data-testid="help-open" />
          {started && <SeedButton word="结束考试" danger onClick={confirmEnd} data-testid="end-exam" />}
        </Space>
      </Space>
    </Card>
  );
}
