// After a practice attempt (自助试测): the verdict (试测成功 or what failed and what to do), each stream in plain
// words ("摄像头 3:00 已完整上传", "佐证视频 缺 12 秒"), one's own videos side by side for playback, and
// 【再次试测】 while the window is open. Earlier practice attempts stay listed below with their own results.
import { Alert, Button, Card, Collapse, List, Result, Space, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PracticeAttempt, PracticeStream } from '@invigil/contracts';
import './i18n.ts';
import { fetchPractice, playbackUrl, startAgain } from './api.ts';

const clock = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

export function StreamLine({ s }: { s: PracticeStream }) {
  const { t } = useTranslation('practice');
  const name = t(`stream.${s.stream}`);
  const key = s.state === 'missing' && !s.required ? 'notRequired' : s.state;
  const type = s.state === 'complete' ? 'success' : s.state === 'uploading' ? 'secondary' : s.required ? 'danger' : 'secondary';
  return (
    <Typography.Text type={type} data-testid={`practice-stream-${s.stream}`} data-state={s.state}>
      {t(`state.${key}`, { name, dur: clock(s.seconds), sec: Math.round(s.missingSeconds) })}
    </Typography.Text>
  );
}

function Players({ a }: { a: PracticeAttempt }) {
  const { t } = useTranslation('practice');
  const playable = a.streams.filter((s) => s.playable && s.recordingId);
  if (!playable.length) return null;
  return (
    <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }} data-testid="practice-players">
      {playable.map((s) => (
        <figure key={s.stream} style={{ margin: 0, flex: '1 1 260px', maxWidth: 420 }}>
          <video
            src={playbackUrl(s.recordingId!)}
            controls
            preload="metadata"
            style={{ width: '100%', background: '#000', borderRadius: 4 }}
            data-testid={`practice-video-${s.stream}`}
            aria-label={`${t('playback')} ${t(`stream.${s.stream}`)}`}
          />
          <figcaption>
            <Typography.Text type="secondary">{t(`stream.${s.stream}`)}</Typography.Text>
          </figcaption>
        </figure>
      ))}
    </div>
  );
}

export function AttemptResult({ a }: { a: PracticeAttempt }) {
  const { t } = useTranslation('practice');
  const pending = a.verdict.problems.includes('uploading') || a.verdict.problems.includes('not-ended');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid={`practice-attempt-${a.number}`} data-success={String(a.verdict.success)}>
      {pending ? (
        <Spin tip={t('checking')}>
          <div style={{ height: 48 }} />
        </Spin>
      ) : a.verdict.success ? (
        <Result status="success" title={t('success')} subTitle={t('successBody')} data-testid="practice-success" style={{ padding: 8 }} />
      ) : (
        <Result status="warning" title={t('failed')} subTitle={t('failedBody')} data-testid="practice-failed" style={{ padding: 8 }} />
      )}
      <List size="small" bordered dataSource={a.streams} renderItem={(s) => <List.Item>{<StreamLine s={s} />}</List.Item>} />
      {!pending && a.verdict.problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="practice-problems"
          title={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {a.verdict.problems.map((p) => (
                <li key={p}>{t(`problem.${p}`)}</li>
              ))}
            </ul>
          }
        />
      )}
      <Players a={a} />
    </Space>
  );
}

export function PracticeReview() {
  const { t } = useTranslation('practice');
  const q = useQuery({
    queryKey: ['practice'],
    queryFn: fetchPractice,
    // Until every stream has been verified (or is known missing), ask again: the proof video may arrive later.
    refetchInterval: (query) => {
      const cur = query.state.data?.attempts.find((a) => a.current);
      return !cur || cur.verdict.problems.some((p) => p === 'uploading' || p === 'not-ended') ? 2000 : false;
    },
  });
  // The new attempt starts in a fresh page: the recording pipeline and the media of the finished one are gone,
  // and the server already holds everything of it (上传成功), so nothing local is lost by reloading.
  const again = useMutation({ mutationFn: startAgain, onSuccess: () => window.location.reload() });
  const qc = useQueryClient();
  const current = q.data?.attempts.find((a) => a.current);
  const succeeded = !!current?.verdict.success;
  // The header's self-test badge changes with this verdict.
  useEffect(() => {
    if (succeeded) void qc.invalidateQueries({ queryKey: ['self-test'] });
  }, [succeeded, qc]);
  if (!q.data) return <Spin />;
  const earlier = q.data.attempts.filter((a) => !a.current).reverse();
  return (
    <Card title={current ? `${t('title')} · ${t('attempt', { n: current.number })}` : t('title')} data-testid="practice-review" style={{ width: '100%', maxWidth: 960 }}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {current && <AttemptResult a={current} />}
        {/* Only once this attempt's own videos are all on the server: the next attempt starts in a fresh page. */}
        {q.data.canStartAgain && !current?.verdict.problems.includes('uploading') ? (
          <Space>
            <Button type="primary" size="large" loading={again.isPending} onClick={() => again.mutate()} data-testid="practice-again">
              {t('again')}
            </Button>
            <Typography.Text type="secondary">{t('againHint')}</Typography.Text>
          </Space>
        ) : (
          q.data.windowClosesAt !== null && Date.now() >= q.data.windowClosesAt && <Typography.Text type="secondary">{t('windowClosed')}</Typography.Text>
        )}
        {again.error && <Alert type="error" showIcon title={(again.error as Error).message} />}
        {earlier.length > 0 && (
          <Collapse
            items={[
              {
                key: 'earlier',
                label: t('earlier'),
                children: earlier.map((a) => (
                  <Card key={a.attemptId} size="small" title={t('attempt', { n: a.number })} style={{ marginBottom: 12 }}>
                    <AttemptResult a={a} />
                  </Card>
                )),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
