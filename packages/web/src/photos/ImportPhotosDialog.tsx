// 导入照片: a .zip of <ID-card number>.jpg, uploaded with progress; the answer is a report per file — registered, or
// refused with the reason (no face, several faces, too small, unknown ID, not an image). Refused files do not
// undo accepted ones, and the dialog says so.
import { Alert, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { routes, type FaceImportReport } from '@invigil/contracts';
import { uploadWithProgress } from '../api/upload.ts';
import { UploadDialog, type UploadDialogBase } from '../upload/UploadDialog.tsx';
import './i18n.ts';

type Row = FaceImportReport['rows'][number];

export function ImportPhotosDialog({ sessionId, ...dialog }: UploadDialogBase & { sessionId: string }) {
  const { t } = useTranslation('photos');
  return (
    <UploadDialog<FaceImportReport>
      {...dialog}
      ns="photos"
      accept=".zip,application/zip"
      reportOn="done"
      send={(file, onProgress) => uploadWithProgress(routes.importPhotos, { sessionId }, file, onProgress, 'application/zip')}
      renderFailed={(e) => <Alert type="error" showIcon role="alert" title={e.message} style={{ marginBottom: 12 }} />}
      renderDone={(report) => (
        <>
          <Alert type={report.refused ? 'warning' : 'success'} showIcon role="status" title={t('summary', { accepted: report.accepted, refused: report.refused })} style={{ marginBottom: 12 }} />
          <Table<Row>
            data-testid="photo-report"
            size="small"
            rowKey="file"
            dataSource={report.rows}
            pagination={report.rows.length > 8 ? { pageSize: 8, size: 'small' } : false}
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
        </>
      )}
    />
  );
}
