// 导入照片: a .zip of <ID-card number>.jpg, uploaded with progress; the answer is a report per file — registered, or
// refused with the reason (no face, several faces, too small, unknown ID, not an image). Refused files do not
// undo accepted ones, and the dialog says so.
import { useState } from 'react';
import { Alert, Button, Modal, Progress, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { routes, type FaceImportReport } from '@invigil/contracts';
import { ApiError } from '../api/client.ts';
import { uploadWithProgress } from '../api/upload.ts';
import './i18n.ts';

type Row = FaceImportReport['rows'][number];
type State = { step: 'choose' } | { step: 'uploading'; name: string; percent: number } | { step: 'done'; report: FaceImportReport } | { step: 'failed'; message: string };

export function ImportPhotosDialog({ sessionId, open, onClose, onImported }: { sessionId: string; open: boolean; onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation('photos');
  const [state, setState] = useState<State>({ step: 'choose' });

  async function upload(file: File) {
    setState({ step: 'uploading', name: file.name, percent: 0 });
    try {
      const report = await uploadWithProgress(routes.importPhotos, { sessionId }, file, (percent) => setState({ step: 'uploading', name: file.name, percent }), 'application/zip');
      setState({ step: 'done', report });
      onImported();
    } catch (e) {
      setState({ step: 'failed', message: e instanceof ApiError ? e.message : String(e) });
    }
  }
  function close() {
    if (state.step === 'uploading') return;
    setState({ step: 'choose' });
    onClose();
  }
  const picker = (
    <Upload.Dragger accept=".zip,application/zip" multiple={false} showUploadList={false} customRequest={({ file }) => void upload(file as File)} aria-label={t('drag')}>
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('drag')}</p>
      <p className="ant-upload-hint">.zip</p>
    </Upload.Dragger>
  );

  return (
    <Modal
      title={t('importTitle')}
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
      <Typography.Paragraph type="secondary">{t('importHint')}</Typography.Paragraph>
      {state.step === 'choose' && picker}
      {state.step === 'uploading' && (
        <div role="status" aria-live="polite">
          <Typography.Text>{t('uploading', { name: state.name })}</Typography.Text>
          <Progress percent={state.percent} status="active" />
        </div>
      )}
      {state.step === 'failed' && (
        <>
          <Alert type="error" showIcon role="alert" title={state.message} style={{ marginBottom: 12 }} />
          {picker}
        </>
      )}
      {state.step === 'done' && (
        <>
          <Alert
            type={state.report.refused ? 'warning' : 'success'}
            showIcon
            role="status"
            title={t('summary', { accepted: state.report.accepted, refused: state.report.refused })}
            style={{ marginBottom: 12 }}
          />
          <Table<Row>
            data-testid="photo-report"
            size="small"
            rowKey="file"
            dataSource={state.report.rows}
            pagination={state.report.rows.length > 8 ? { pageSize: 8, size: 'small' } : false}
            columns={[
              { title: t('file'), dataIndex: 'file' },
              { title: t('idNumber'), dataIndex: 'idNumber', width: 190 },
              {
                title: t('result'),
                key: 'r',
                width: 260,
                render: (_, r) => (r.accepted ? <Tag color="green">{t('accepted')}</Tag> : <Tag color="red">{t(`reason.${r.reason ?? 'unreadable'}`)}</Tag>),
              },
            ]}
            style={{ marginBottom: 12 }}
          />
          <Upload accept=".zip,application/zip" showUploadList={false} customRequest={({ file }) => void upload(file as File)}>
            <Button>{t('again')}</Button>
          </Upload>
        </>
      )}
    </Modal>
  );
}
