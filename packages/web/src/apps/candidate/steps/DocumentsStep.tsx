// 四、阅读考试附件: each document is opened, read and confirmed with 【已阅】; the next step stays locked until all are.
import { useState } from 'react';
import { Alert, Button, Card, List, Modal, Space, Spin, Tag, Typography } from 'antd';
import { CheckCircleFilled, FileTextOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { fetchDocument, markRead } from '../api.ts';
import { SeedButton } from '../components/SeedButton.tsx';

export function DocumentsStep({ attempt, onChanged, onDone }: { attempt: AttemptState; onChanged: (s: AttemptState) => void; onDone: () => void }) {
  const { t } = useTranslation('candidate');
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 820 }}>
      <Typography.Text type="secondary">{t('documents.intro')}</Typography.Text>
      <Card size="small">
        <List
          dataSource={attempt.documents}
          renderItem={(d) => (
            <List.Item
              data-testid={`document-${d.kind}`}
              actions={[
                <Button key="open" type={d.read ? 'default' : 'primary'} onClick={() => setOpenId(d.id)}>
                  {t('documents.open')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                avatar={<FileTextOutlined style={{ fontSize: 22, color: '#1557b0', marginTop: 4 }} />}
                title={d.title}
                description={
                  <Tag color={d.read ? 'success' : 'default'} icon={d.read ? <CheckCircleFilled /> : undefined}>
                    {d.read ? t('documents.read') : t('documents.unread')}
                  </Tag>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      {attempt.allDocumentsRead && <Alert type="success" showIcon title={t('documents.allRead')} />}
      <Button type="primary" size="large" disabled={!attempt.allDocumentsRead} onClick={onDone} data-testid="documents-next">
        {t('documents.next')}
      </Button>
      {openId && (
        <DocumentReader
          id={openId}
          onClose={() => setOpenId(null)}
          onRead={(s) => {
            onChanged(s);
            setOpenId(null);
          }}
        />
      )}
    </Space>
  );
}

function DocumentReader({ id, onClose, onRead }: { id: string; onClose: () => void; onRead: (s: AttemptState) => void }) {
  const { t } = useTranslation('candidate');
  const doc = useQuery({ queryKey: ['document', id], queryFn: () => fetchDocument(id) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    try {
      onRead(await markRead(id));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      width={760}
      title={doc.data?.title ?? t('common.loading', { ns: 'translation' })}
      onCancel={onClose}
      footer={<SeedButton word="已阅" type="primary" size="large" loading={busy} disabled={!doc.data} onClick={() => void confirm()} data-testid="document-read" />}
      styles={{ body: { maxHeight: '52vh', overflowY: 'auto' } }}
    >
      {doc.isLoading && <Spin />}
      {doc.error && <Alert type="error" showIcon title={(doc.error as Error).message} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {doc.data && (
        <div data-testid="document-body" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.9, fontSize: 15 }}>
          {doc.data.body}
        </div>
      )}
    </Modal>
  );
}
