// The shell of an upload-and-report dialog (导入考生, 导入照片): pick or drop one file, its upload with progress,
// then the server's answer — a report on success, the reason on refusal — and a way to upload again. Closing is
// refused while the server is still deciding (closing would hide the answer). What is uploaded, and how each
// answer reads, is the caller's.
import { useState, type ReactNode } from 'react';
import { Button, Modal, Progress, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

type State<R> = { step: 'choose' } | { step: 'uploading'; name: string; percent: number } | { step: 'done'; result: R } | { step: 'failed'; error: ApiError };

/** What a caller passes through from its own props. */
export interface UploadDialogBase {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}

export interface UploadDialogProps<R> extends UploadDialogBase {
  /** The i18n namespace whose `import.{title,hint,drag,uploading,again}` label this dialog. */
  ns: string;
  /** The file picker's `accept`; its extensions are shown under the drop zone. */
  accept: string;
  /** Sends the file; progress in percent. A refusal is thrown as ApiError (its details may carry a report). */
  send: (file: File, onProgress: (percent: number) => void) => Promise<R>;
  renderDone: (result: R) => ReactNode;
  renderFailed: (error: ApiError) => ReactNode;
  /** Which answer carries a report table: under it a small 【再次上传】 button; under the other, the drop zone. */
  reportOn: 'done' | 'failed';
}

export function UploadDialog<R>(p: UploadDialogProps<R>) {
  const { t } = useTranslation(p.ns);
  const [state, setState] = useState<State<R>>({ step: 'choose' });

  async function upload(file: File) {
    setState({ step: 'uploading', name: file.name, percent: 0 });
    try {
      const result = await p.send(file, (percent) => setState({ step: 'uploading', name: file.name, percent }));
      setState({ step: 'done', result });
      p.onImported();
    } catch (e) {
      setState({ step: 'failed', error: e instanceof ApiError ? e : new ApiError(0, 'INTERNAL', String(e)) });
    }
  }
  function close() {
    if (state.step === 'uploading') return; // the server is still deciding; closing would hide the answer
    setState({ step: 'choose' });
    p.onClose();
  }

  const picker = (
    <Upload.Dragger accept={p.accept} multiple={false} showUploadList={false} customRequest={({ file }) => void upload(file as File)} aria-label={t('import.drag')}>
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('import.drag')}</p>
      <p className="ant-upload-hint">
        {p.accept
          .split(',')
          .filter((a) => a.startsWith('.'))
          .join(' / ')}
      </p>
    </Upload.Dragger>
  );
  const again = (
    <Upload accept={p.accept} showUploadList={false} customRequest={({ file }) => void upload(file as File)}>
      <Button>{t('import.again')}</Button>
    </Upload>
  );

  return (
    <Modal
      title={t('import.title')}
      open={p.open}
      onCancel={close}
      width={760}
      footer={
        <Button onClick={close} disabled={state.step === 'uploading'}>
          {t('translation:common.confirm')}
        </Button>
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('import.hint')}</Typography.Paragraph>
      {state.step === 'choose' && picker}
      {state.step === 'uploading' && (
        <div role="status" aria-live="polite">
          <Typography.Text>{t('import.uploading', { name: state.name })}</Typography.Text>
          <Progress percent={state.percent} status="active" />
        </div>
      )}
      {state.step === 'done' && (
        <>
          {p.renderDone(state.result)}
          {p.reportOn === 'done' ? again : picker}
        </>
      )}
      {state.step === 'failed' && (
        <>
          {p.renderFailed(state.error)}
          {p.reportOn === 'failed' ? again : picker}
        </>
      )}
    </Modal>
  );
}
