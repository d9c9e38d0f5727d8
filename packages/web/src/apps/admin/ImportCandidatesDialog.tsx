// 导入考生: upload an .xlsx/.csv with progress; on success the count, on a rejected file the row-by-row
// report (row, column, reason). Import is all or nothing on the server, and the dialog says so.
import { Alert, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { routes, type ImportRowError } from '@invigil/contracts';
import { uploadWithProgress } from '../../api/upload.ts';
import { UploadDialog, type UploadDialogBase } from '../../upload/UploadDialog.tsx';

export default function ImportCandidatesDialog({ sessionId, ...dialog }: UploadDialogBase & { sessionId: string }) {
  const { t } = useTranslation('admin');
  return (
    <UploadDialog<{ imported: number }>
      {...dialog}
      ns="admin"
      accept=".xlsx,.csv"
      reportOn="failed"
      send={(file, onProgress) => uploadWithProgress(routes.importCandidates, { id: sessionId }, file, onProgress)}
      renderDone={(r) => <Alert type="success" showIcon title={t('import.success', { count: r.imported })} role="status" style={{ marginBottom: 16 }} />}
      renderFailed={(e) => {
        const errors = (e.details as { errors?: ImportRowError[] } | undefined)?.errors ?? [];
        return (
          <>
            <Alert
              type="error"
              showIcon
              role="alert"
              title={t('import.failed')}
              description={errors.length ? t('import.errorsFound', { count: errors.length }) : e.message}
              style={{ marginBottom: 12 }}
            />
            {errors.length > 0 && (
              <Table<ImportRowError & { key: number }>
                data-testid="import-errors"
                size="small"
                dataSource={errors.map((x, key) => ({ ...x, key }))}
                pagination={errors.length > 8 ? { pageSize: 8, size: 'small' } : false}
                columns={[
                  { title: t('import.row'), dataIndex: 'row', width: 80 },
                  { title: t('import.column'), dataIndex: 'column', width: 120 },
                  { title: t('import.reason'), dataIndex: 'reason' },
                ]}
                style={{ marginBottom: 12 }}
              />
            )}
          </>
        );
      }}
    />
  );
}
