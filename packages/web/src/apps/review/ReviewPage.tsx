// Reviewing one anonymous number: the three recordings in step, the timeline of the attempt's events, the
// question as the candidate saw it, the completeness of each recording, and the rubric form.
// The three players get their URLs from this page's route, not from the attempt's data: they start loading the
// moment the page mounts, in parallel with that request (issue #16: first frame ≤ 1 s on a 25-minute attempt).
import { useDeferredValue, useMemo } from 'react';
import { Breadcrumb, Card, Col, Descriptions, Empty, List, Row, Spin, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { routes, Stream, type TimelineEvent } from '@invigil/contracts';
import { call, urlOf } from '../../api/client.ts';
import { eventLabelOrNull } from '../../i18n/event-labels.ts';
import SyncPlayer, { type Marker } from '../../playback/SyncPlayer.tsx';
import { clock } from '../../playback/sync.ts';
import ScoreForm from './ScoreForm.tsx';
import { STATE_COLOR } from './PanelPage.tsx';

const COLOR: Record<string, string> = { high: '#cf1322', medium: '#fa8c16', low: '#fadb14', info: '#8c8c8c' };
const KIND_COLOR: Record<TimelineEvent['kind'], string> = { flag: '', signal: '#8c8c8c', 'proof-gap': '#722ed1', identity: '#13c2c2', warning: '#eb2f96', help: '#1677ff', 'recording-gap': '#595959' };

export default function ReviewPage() {
  const { t, i18n } = useTranslation('review');
  const { panelId = '', anon = '' } = useParams();
  const qc = useQueryClient();
  const target = { panelId, anon };
  const q = useQuery({ queryKey: ['review', 'attempt', panelId, anon], queryFn: () => call(routes.reviewAttempt, { params: target }), staleTime: Infinity });
  const a = q.data;
  // Everything but the player renders from a deferred copy: that render yields to the browser, so it does not hold
  // up the videos that are loading meanwhile.
  const d = useDeferredValue(a);
  const label = (e: TimelineEvent) => (eventLabelOrNull(e.type, i18n.language) ?? t(`type.${e.type}`, { defaultValue: e.type })) + (e.text ? `：${e.text}` : '');
  // Until the data says which streams exist (and where their runs sit), every stream is assumed: a missing one
  // answers 404 and is dropped when the data arrives; the others keep their <video> and what it loaded.
  const streams = useMemo(
    () =>
      a
        ? a.streams.map((s) => ({ key: s.stream, label: t(`streams.${s.stream}`), url: s.url, runs: s.runs, audio: s.stream === 'camera' }))
        : Stream.options.map((s) => ({ key: s, label: t(`streams.${s}`), url: urlOf(routes.reviewStream, { params: { panelId, anon, stream: s } }), runs: [], audio: s === 'camera' })),
    [a, t, panelId, anon],
  );
  const markers: Marker[] = useMemo(
    () => (d ? d.events.map((e) => ({ id: e.id, at: e.at, label: label(e), color: KIND_COLOR[e.kind] || COLOR[e.severity] || '#8c8c8c' })) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [d, t],
  );
  if (q.error) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  // The same zero as the player's timeline: the first recorded moment.
  const runStarts = a ? a.streams.flatMap((s) => s.runs.map((r) => r.startAt)) : [];
  const start = runStarts.length ? Math.min(...runStarts) : (a?.startsAt ?? 0);
  const pending = <Spin style={{ display: 'block', margin: '16px auto' }} />;

  return (
    <Row gutter={16}>
      <Col xs={24} xl={17}>
        <Card
          size="small"
          title={
            <Breadcrumb
              items={[
                { title: <Link to="/review">{t('panels')}</Link> },
                { title: <Link to={`/review/panels/${panelId}`}>{a?.sessionName ?? '…'}</Link> },
                {
                  title: (
                    <span data-testid="anon">
                      {t('number')} {a?.anonymousNumber ?? anon}
                    </span>
                  ),
                },
              ]}
            />
          }
          extra={a ? <Tag color={STATE_COLOR[a.myScore.state]}>{t(`states.${a.myScore.state}`)}</Tag> : null}
        >
          <SyncPlayer streams={streams} markers={markers} loading={!a} />
        </Card>
        <Card size="small" title={t('events')} style={{ marginTop: 12 }}>
          {!d ? (
            pending
          ) : d.events.length === 0 ? (
            <Empty description={t('noEvents')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={d.events}
              renderItem={(e) => (
                <List.Item
                  extra={
                    e.evidenceUrl ? (
                      <a href={e.evidenceUrl} target="_blank" rel="noreferrer">
                        {t('evidence')}
                      </a>
                    ) : null
                  }
                  style={{ cursor: 'pointer' }}
                  onClick={() => document.querySelector<HTMLButtonElement>(`[data-marker="${e.id}"]`)?.click()}
                >
                  <Typography.Text style={{ fontVariantNumeric: 'tabular-nums', width: 64, display: 'inline-block' }}>{clock(e.at - start)}</Typography.Text>
                  <Tag color={KIND_COLOR[e.kind] || COLOR[e.severity]}>{t(`kinds.${e.kind}`)}</Tag>
                  {label(e)}
                  {e.untilAt ? <Typography.Text type="secondary">（{Math.round((e.untilAt - e.at) / 1000)} s）</Typography.Text> : null}
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={7}>
        <Card size="small" title={t('rubric')}>
          {!d ? (
            pending
          ) : d.rubric && d.rubric.criteria.length ? (
            <ScoreForm rubric={d.rubric} score={d.myScore} target={target} published={d.published} onSaved={() => void qc.invalidateQueries({ queryKey: ['review', 'panel', panelId] })} />
          ) : (
            <Typography.Text type="secondary">{t('noRubric')}</Typography.Text>
          )}
        </Card>
        <Card size="small" title={t('question')} style={{ marginTop: 12 }}>
          {!d ? (
            pending
          ) : d.questions.length ? (
            d.questions.map((qq, i) => (
              <div key={i}>
                <Typography.Text strong>{qq.title}</Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{qq.body}</Typography.Paragraph>
              </div>
            ))
          ) : (
            <Typography.Text type="secondary">{t('noQuestion')}</Typography.Text>
          )}
        </Card>
        <Card size="small" title={t('completeness')} style={{ marginTop: 12 }}>
          <Descriptions size="small" column={1}>
            {(d?.streams ?? []).map((s) => (
              <Descriptions.Item key={s.stream} label={t(`streams.${s.stream}`)}>
                {s.report ? (
                  <span>
                    {t('secondsRecorded', { s: s.report.secondsRecorded, r: s.report.secondsReceived })}
                    {s.report.gaps.length ? <Typography.Text type="warning">，{t('gapsN', { n: s.report.gaps.length, s: s.report.gapSeconds })}</Typography.Text> : null}
                  </span>
                ) : (
                  <Typography.Text type="secondary">{s.runs.length ? t('notReady') : t('noRecording')}</Typography.Text>
                )}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      </Col>
    </Row>
  );
}
