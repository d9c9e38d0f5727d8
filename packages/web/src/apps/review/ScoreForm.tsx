// The rubric form: one number per criterion (checked against its max and step), an optional comment, drafts that
// save themselves a moment after each change, and 【提交】, which locks the score.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { routes, type MyScore, type PathParams, type Rubric } from '@invigil/contracts';
import { ApiError, call } from '../../api/client.ts';

const DRAFT_DELAY_MS = 800;

export default function ScoreForm({
  rubric,
  score,
  target,
  published,
  onSaved,
}: {
  rubric: Rubric;
  score: MyScore;
  target: PathParams<typeof routes.saveScore.path>;
  published: boolean;
  onSaved: (s: MyScore) => void;
}) {
  const { t, i18n } = useTranslation('review');
  // The app's modal (not the static Modal.confirm): it follows the ConfigProvider, so 【提交】 reads 提交, not 提 交.
  const { modal } = App.useApp();
  const [marks, setMarks] = useState<Record<string, number | null>>(score.marks);
  const [comment, setComment] = useState(score.comment);
  const [state, setState] = useState(score);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>(score.updatedAt ? 'saved' : 'idle');
  const [error, setError] = useState<{ message: string; criterionId?: string } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);
  const locked = state.state === 'submitted' || published;
  const body = () => ({ marks: Object.fromEntries(Object.entries(marks).filter((e): e is [string, number] => typeof e[1] === 'number')), comment });

  const fail = (e: unknown) => {
    const details = e instanceof ApiError ? (e.details as { criterionId?: string } | undefined) : undefined;
    setError({ message: e instanceof Error ? e.message : String(e), criterionId: details?.criterionId });
  };

  useEffect(() => {
    if (!dirty.current || locked) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      setStatus('saving');
      try {
        const s = await call(routes.saveScore, { params: target, body: body() });
        setState(s);
        setStatus('saved');
        setError(null);
        onSaved(s);
      } catch (e) {
        setStatus('idle');
        fail(e);
      }
    }, DRAFT_DELAY_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
    // body() reads marks and comment, the only inputs that change a draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [marks, comment]);

  const submit = () =>
    modal.confirm({
      title: t('submit'),
      content: t('submitConfirm'),
      okText: t('submit'),
      onOk: async () => {
        if (timer.current) clearTimeout(timer.current);
        try {
          const s = await call(routes.submitScore, { params: target, body: body() });
          setState(s);
          setError(null);
          onSaved(s);
        } catch (e) {
          fail(e);
        }
      },
    });

  const total = Object.values(marks).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0);
  const max = rubric.criteria.reduce((s, c) => s + c.maxPoints, 0);
  const time = (at: number | null) => (at ? new Date(at).toLocaleTimeString(i18n.language) : '');
  return (
    <Form layout="vertical" data-testid="score-form" disabled={locked}>
      {rubric.criteria.map((c) => (
        <Form.Item key={c.id} label={`${c.name}（${t('range', { max: c.maxPoints, step: c.step })}）`} validateStatus={error?.criterionId === c.id ? 'error' : undefined} style={{ marginBottom: 12 }}>
          <InputNumber
            data-criterion={c.name}
            min={0}
            max={c.maxPoints}
            step={c.step}
            value={marks[c.id] ?? null}
            onChange={(v) => {
              dirty.current = true;
              setMarks((m) => ({ ...m, [c.id]: typeof v === 'number' ? v : null }));
            }}
            style={{ width: 160 }}
          />
        </Form.Item>
      ))}
      <Form.Item label={t('comment')}>
        <Input.TextArea
          data-testid="comment"
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(e) => {
            dirty.current = true;
            setComment(e.target.value);
          }}
        />
      </Form.Item>
      {error ? <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} data-testid="score-error" /> : null}
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong data-testid="sum">
          {t('sum', { total: Math.round(total * 100) / 100, max })}
        </Typography.Text>
        <Typography.Text type="secondary" data-testid="draft-status">
          {published
            ? t('locked')
            : state.state === 'submitted'
              ? t('submitted', { time: time(state.submittedAt) })
              : status === 'saving'
                ? t('saving')
                : status === 'saved'
                  ? t('saved', { time: time(state.updatedAt) })
                  : ''}
        </Typography.Text>
      </Space>
      <Button type="primary" block style={{ marginTop: 12 }} onClick={submit} disabled={locked} data-testid="submit">
        {t('submit')}
      </Button>
    </Form>
  );
}
