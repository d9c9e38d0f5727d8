// 导入考生: upload an .xlsx/.csv with progress; on success the count, on a rejected file the row-by-row
// report (row, column, reason). Import is all or nothing on the server, and the dialog says so.
import { useState } from 'react';
import { Alert, Button, Modal, Progress, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { routes, type ImportRowError } from '@invigil/contracts';
import { ApiError } from '../../api/client.ts';
import { uploadWithProgress } from '../../api/upload.ts';

type State = { step: 'choose' } | { step: 'uploading'; name: string; percent: number } | { step: 'done'; imported: number } | { step: 'rejected'; message: string; errors: ImportRowError[] };

interface Props {
  sessionId: string;
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}

export default function ImportCandidatesDialog({ sessionId, open, onClose, onImported }: Props) {
  const { t } = useTranslation('admin');
  const [state, setState] = useState<State>({ step: 'choose' });

  async function upload(file: File) {
    setState({ step: 'uploading', name: file.name, percent: 0 });
    try {
      const r = await uploadWithProgress(routes.importCandidates, { id: sessionId }, file, (percent) => setState({ step: 'uploading', name: file.name, percent }));
      setState({ step: 'done', imported: r.imported });
      onImported();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'INTERNAL', String(e));
      const errors = (err.details as { errors?: ImportRowError[] } | undefined)?.errors ?? [];
      setState({ step: 'rejected', message: err.message, errors });
    }
  }

  function close() {
    if (state.step === 'uploading') return; // the server is still deciding; closing would hide the answer
    setState({ step: 'choose' });
    onClose();
  }

  const picker = (
    <Upload.Dragger accept=".xlsx,.csv" multiple={false} showUploadList={false} customRequest={({ file }) => void upload(file as File)} aria-label={t('import.drag')}>
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('import.drag')}</p>
      <p className="ant-upload-hint">.xlsx / .csv</p>
    </Upload.Dragger>
  );

  return (
    <Modal
      title={t('import.title')}
      open={open}
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
          <Alert type="success" showIcon title={t('import.success', { count: state.imported })} role="status" style={{ marginBottom: 16 }} />
          {picker}
        </>
      )}
      {state.step === 'rejected' && (
        <>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('import.failed')}
            description={state.errors.length ? t('import.errorsFound', { count: state.errors.length }) : state.message}
            style={{ marginBottom: 12 }}
          />
          {state.errors.length > 0 && (
            <Table<ImportRowError & { key: number }>
              data-testid="import-errors"
              size="small"
              dataSource={state.errors.map((e, key) => ({ ...e, key }))}
              pagination={state.errors.length > 8 ? { pageSize: 8, size: 'small' } : false}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 80 },
                { title: t('import.column'), dataIndex: 'column', width: 120 },
                { title: t('import.reason'), dataIndex: 'reason' },
              ]}
              style={{ marginBottom: 12 }}
            />
          )}
          <Upload accept=".xlsx,.csv" showUploadList={false} customRequest={({ file }) => void upload(file as File)}>
            <Button>{t('import.again')}</Button>
          </Upload>
        </>
      )}
    </Modal>
  );
}
