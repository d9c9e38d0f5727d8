// 警告 and 结束考试 for one candidate. Presets are sent in Chinese (the candidates' language) whatever the
// console language; the end reason is required and goes into the proctoring record.
import { useState } from 'react';
import { Alert, App, Button, Input, Modal, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n/index.ts';
import { routes } from '@invigil/contracts';
import { ApiError, call } from '../../api/client.ts';

interface DialogProps {
  open: boolean;
  attemptId: string;
  name: string;
  onClose: (done: boolean) => void;
}

/** One staff action behind a dialog: busy while it runs, a toast when done, the server's own words when it fails. */
function useStaffAction(run: () => Promise<unknown>, doneText: string, onDone: () => void): [boolean, () => Promise<void>] {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  async function act() {
    setBusy(true);
    try {
      await run();
      message.success(doneText);
      onDone();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return [busy, act];
}

export function WarningDialog({ open, attemptId, name, onClose }: DialogProps) {
  const { t } = useTranslation('proctor');
  const [text, setText] = useState('');
  const presets = i18n.getFixedT('zh-CN', 'proctor')('warnPresets', { returnObjects: true }) as string[];
  const hints = t('warnPresets', { returnObjects: true }) as string[];
  const [busy, send] = useStaffAction(
    () => call(routes.sendWarning, { params: { attemptId }, body: { text: text.trim() } }),
    t('warnSent'),
    () => {
      setText('');
      onClose(true);
    },
  );
  return (
    <Modal
      open={open}
      title={t('warnTitle', { name })}
      onCancel={() => onClose(false)}
      okText={t('warn')}
      onOk={() => void send()}
      okButtonProps={{ disabled: !text.trim(), loading: busy, danger: true }}
      destroyOnHidden
    >
      <Space wrap size={[6, 6]} style={{ marginBottom: 8 }} role="group" aria-label={t('warnText')}>
        {presets.map((p, i) => (
          <Button key={p} size="small" title={hints[i]} onClick={() => setText(p)}>
            {p}
          </Button>
        ))}
      </Space>
      <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} aria-label={t('warnText')} maxLength={500} showCount autoSize={{ minRows: 3 }} />
    </Modal>
  );
}

export function EndDialog({ open, attemptId, name, onClose }: DialogProps) {
  const { t } = useTranslation('proctor');
  const [reason, setReason] = useState('');
  const [busy, end] = useStaffAction(
    () => call(routes.endAttempt, { params: { attemptId }, body: { reason: reason.trim() } }),
    t('endDone'),
    () => {
      setReason('');
      onClose(true);
    },
  );
  return (
    <Modal
      open={open}
      title={t('endTitle', { name })}
      onCancel={() => onClose(false)}
      okText={t('endExam')}
      onOk={() => void end()}
      okButtonProps={{ disabled: reason.trim().length < 2, loading: busy, danger: true }}
      destroyOnHidden
    >
      <Alert type="error" showIcon title={t('endWarning')} style={{ marginBottom: 12 }} />
      <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('endReason')} aria-label={t('endReason')} maxLength={1000} autoSize={{ minRows: 3 }} />
    </Modal>
  );
}
