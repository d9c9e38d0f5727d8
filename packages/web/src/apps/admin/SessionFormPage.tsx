// New / edit session (场次): the timeline (start, duration, login, entry, cut-offs) and the login and
// proctoring rules. The server owns the timeline rules; its TIMELINE_INVALID problems are shown on the fields.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Divider, Form, Input, InputNumber, Radio, Row, Space, Spin, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DEFAULT_ENTRY_LEAD_MS, routes, type SessionInput, type SessionKind } from '@invigil/contracts';
import { ApiError, call } from '../../api/client.ts';
import { ExamCrumbs, useExam } from './SessionsPage.tsx';
import { DATE_TIME } from './format.ts';
import type { SessionT } from './types.ts';

const LOGIN_LEAD_MS = 60 * 60_000; // the server's default, shown so the administrator sees the real time
const TIMELINE_FIELDS = ['durationSec', 'loginOpensAt', 'entryOpensAt', 'waitingCutoffAt', 'entryCutoff', 'windowClosesAt'] as const;

interface SessionFormValues {
  name: string;
  kind: SessionKind;
  startsAt: Dayjs | null;
  durationMin: number;
  loginOpensAt: Dayjs | null;
  entryOpensAt: Dayjs | null;
  waitingCutoffAt: Dayjs | null;
  cutoffMode: 'at-start' | 'after-start';
  cutoffMinutes: number;
  faceRequired: boolean;
  proofRequired: boolean;
  /** 自助试测 (mock-self): the window opens at startsAt and closes here; durationMin is the practice duration. */
  windowClosesAt: Dayjs | null;
  practiceLeadSec: number;
}

const NEW_SESSION: SessionFormValues = {
  name: '',
  kind: 'real',
  startsAt: null,
  durationMin: 25,
  loginOpensAt: null,
  entryOpensAt: null,
  waitingCutoffAt: null,
  cutoffMode: 'at-start',
  cutoffMinutes: 3,
  faceRequired: true,
  proofRequired: true,
  windowClosesAt: null,
  practiceLeadSec: 60,
};

function toForm(s: SessionT): SessionFormValues {
  return {
    name: s.name,
    kind: s.kind,
    startsAt: dayjs(s.startsAt),
    durationMin: Math.round(s.durationSec / 60),
    loginOpensAt: dayjs(s.loginOpensAt),
    entryOpensAt: dayjs(s.entryOpensAt),
    waitingCutoffAt: s.waitingCutoffAt === null ? null : dayjs(s.waitingCutoffAt),
    cutoffMode: s.entryCutoff.mode,
    cutoffMinutes: s.entryCutoff.mode === 'after-start' ? s.entryCutoff.minutes : 3,
    faceRequired: s.faceRequired,
    proofRequired: s.proofRequired,
    windowClosesAt: s.windowClosesAt ? dayjs(s.windowClosesAt) : null,
    practiceLeadSec: s.practiceLeadSec ?? 60,
  };
}

function toInput(v: SessionFormValues): SessionInput {
  return {
    name: v.name,
    kind: v.kind,
    startsAt: v.startsAt!.valueOf(),
    durationSec: Math.round(v.durationMin * 60),
    loginOpensAt: v.loginOpensAt?.valueOf(),
    entryOpensAt: v.entryOpensAt?.valueOf(),
    waitingCutoffAt: v.waitingCutoffAt?.valueOf() ?? null,
    entryCutoff: v.cutoffMode === 'at-start' ? { mode: 'at-start' } : { mode: 'after-start', minutes: v.cutoffMinutes },
    faceRequired: v.faceRequired,
    proofRequired: v.proofRequired,
    ...(v.kind === 'mock-self' ? { windowClosesAt: v.windowClosesAt?.valueOf() ?? null, practiceLeadSec: v.practiceLeadSec } : {}),
  };
}

/** Server problem strings start with the field they are about ("entryOpensAt must not be after startsAt"). */
function problemFields(e: ApiError): (typeof TIMELINE_FIELDS)[number][] {
  const problems = (e.details as { problems?: string[] } | undefined)?.problems ?? [];
  return problems.map((p) => TIMELINE_FIELDS.find((f) => p.startsWith(f))).filter((f) => f !== undefined);
}

/** Enter confirms a typed date in a picker; it must not also submit the whole form half-filled. */
function keepEnterInPicker(e: React.KeyboardEvent) {
  if (e.key === 'Enter' && (e.target as HTMLElement).closest('.ant-picker')) e.preventDefault();
}

const FIELD_OF_PROBLEM = {
  durationSec: 'durationMin',
  loginOpensAt: 'loginOpensAt',
  entryOpensAt: 'entryOpensAt',
  waitingCutoffAt: 'waitingCutoffAt',
  entryCutoff: 'cutoffMinutes',
  windowClosesAt: 'windowClosesAt',
} as const;

export default function SessionFormPage() {
  const { t } = useTranslation('admin');
  const { examId: examParam, sessionId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<SessionFormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Until the administrator sets them by hand, login and entry times follow the start time.
  const touched = useRef({ loginOpensAt: false, entryOpensAt: false });
  const existing = useQuery({ queryKey: ['sessions', sessionId], queryFn: () => call(routes.session, { params: { id: sessionId! } }), enabled: !!sessionId });
  const examId = examParam ?? existing.data?.examId;
  const exam = useExam(examId);
  const cutoffMode = Form.useWatch('cutoffMode', form);
  const selfTest = Form.useWatch('kind', form) === 'mock-self';

  useEffect(() => {
    if (existing.data) {
      form.setFieldsValue(toForm(existing.data));
      touched.current = { loginOpensAt: true, entryOpensAt: true };
    }
  }, [existing.data, form]);

  function onValuesChange(changed: Partial<SessionFormValues>) {
    if ('loginOpensAt' in changed) touched.current.loginOpensAt = true;
    if ('entryOpensAt' in changed) touched.current.entryOpensAt = true;
    if (changed.startsAt) {
      const start = changed.startsAt;
      if (!touched.current.loginOpensAt) form.setFieldValue('loginOpensAt', start.subtract(LOGIN_LEAD_MS, 'ms'));
      if (!touched.current.entryOpensAt) form.setFieldValue('entryOpensAt', start.subtract(DEFAULT_ENTRY_LEAD_MS, 'ms'));
    }
  }

  async function submit(v: SessionFormValues) {
    setBusy(true);
    setError(null);
    try {
      const saved = sessionId ? await call(routes.updateSession, { params: { id: sessionId }, body: toInput(v) }) : await call(routes.createSession, { params: { id: examId! }, body: toInput(v) });
      await qc.invalidateQueries({ queryKey: ['exams', examId, 'sessions'] });
      qc.setQueryData(['sessions', saved.id], saved);
      navigate(`/admin/sessions/${saved.id}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.code === 'TIMELINE_INVALID') {
        const fields = problemFields(e);
        setError(`${t('sessionForm.timelineError')}：${fields.map((f) => t(`sessionForm.problems.${f}`)).join(' ') || e.message}`);
        form.setFields(fields.map((f) => ({ name: FIELD_OF_PROBLEM[f], errors: [t(`sessionForm.problems.${f}`)] })));
      } else setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  if (sessionId && existing.isPending) return <Spin style={{ display: 'block', margin: '10vh auto' }} />;
  const required = [{ required: true, message: t('sessionForm.required') }];
  const dateTime = { showTime: { format: 'HH:mm' }, format: DATE_TIME, style: { width: '100%' } } as const;

  return (
    <>
      <ExamCrumbs exam={exam} last={sessionId ? existing.data?.name : t('sessionForm.titleNew')} />
      <Card title={sessionId ? t('sessionForm.titleEdit') : t('sessionForm.titleNew')}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form<SessionFormValues>
          form={form}
          layout="vertical"
          initialValues={NEW_SESSION}
          onFinish={submit}
          onValuesChange={onValuesChange}
          onKeyDown={keepEnterInPicker}
          disabled={busy}
          style={{ maxWidth: 960 }}
        >
          <Row gutter={24}>
            <Col span={12}>
              <Form.Item name="name" label={t('sessions.name')} rules={[{ ...required[0], whitespace: true }]}>
                <Input maxLength={200} autoFocus />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="kind" label={t('sessions.kind')}>
                <Radio.Group optionType="button" options={(['real', 'mock-self', 'mock-central'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start" plain>
            {t('sessionForm.timeline')}
          </Divider>
          <Row gutter={24}>
            <Col span={8}>
              <Form.Item name="startsAt" label={selfTest ? t('sessionForm.windowOpensAt') : t('sessions.startsAt')} rules={required}>
                <DatePicker {...dateTime} id="startsAt" />
              </Form.Item>
            </Col>
            {selfTest && (
              <Col span={8}>
                <Form.Item name="windowClosesAt" label={t('sessionForm.windowClosesAt')} rules={required} extra={t('sessionForm.windowHint')}>
                  <DatePicker {...dateTime} id="windowClosesAt" />
                </Form.Item>
              </Col>
            )}
            <Col span={8}>
              <Form.Item name="durationMin" label={selfTest ? t('sessionForm.practiceMin') : t('sessionForm.durationMin')} rules={required}>
                <InputNumber min={1} max={24 * 60} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            {selfTest && (
              <Col span={8}>
                <Form.Item name="practiceLeadSec" label={t('sessionForm.practiceLeadSec')} rules={required} extra={t('sessionForm.practiceLeadHint')}>
                  <InputNumber min={5} max={3600} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            )}
            <Col span={8}>
              <Form.Item name="cutoffMode" label={t('sessionForm.entryCutoff')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'at-start', label: t('sessionForm.atStart') },
                    { value: 'after-start', label: t('sessionForm.afterStart') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="loginOpensAt" label={t('sessionForm.loginOpensAt')} extra={t('sessionForm.loginHint')}>
                <DatePicker {...dateTime} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="entryOpensAt" label={t('sessionForm.entryOpensAt')} extra={t('sessionForm.entryHint')}>
                <DatePicker {...dateTime} />
              </Form.Item>
            </Col>
            <Col span={8}>
              {cutoffMode === 'after-start' ? (
                <Form.Item name="cutoffMinutes" label={t('sessionForm.minutesAfter')} rules={required}>
                  <InputNumber min={0} max={600} style={{ width: '100%' }} />
                </Form.Item>
              ) : (
                <Form.Item name="waitingCutoffAt" label={t('sessionForm.waitingCutoffAt')} extra={t('sessionForm.waitingHint')}>
                  <DatePicker {...dateTime} />
                </Form.Item>
              )}
            </Col>
            {cutoffMode === 'after-start' && (
              <Col span={8}>
                <Form.Item name="waitingCutoffAt" label={t('sessionForm.waitingCutoffAt')} extra={t('sessionForm.waitingHint')}>
                  <DatePicker {...dateTime} />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Divider titlePlacement="start" plain>
            {t('sessionForm.rules')}
          </Divider>
          <Row gutter={24}>
            <Col span={12}>
              <Form.Item name="faceRequired" label={t('sessionForm.faceRequired')} valuePropName="checked" extra={t('sessionForm.faceHint')}>
                <Switch checkedChildren={t('sessionForm.on')} unCheckedChildren={t('sessionForm.off')} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="proofRequired" label={t('sessionForm.proofRequired')} valuePropName="checked">
                <Switch checkedChildren={t('sessionForm.on')} unCheckedChildren={t('sessionForm.off')} />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('sessionForm.save')}
            </Button>
            <Button onClick={() => navigate(-1)}>{t('translation:common.cancel')}</Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
