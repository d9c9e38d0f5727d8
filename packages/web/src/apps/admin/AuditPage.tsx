// 审计日志: verify that the hash-chained audit log is intact. (Browsing entries needs an API that does not exist yet.)
import { Alert, Button, Card, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../../api/client.ts';

export default function AuditPage() {
  const { t } = useTranslation('admin');
  const verify = useMutation({ mutationFn: () => call(routes.auditVerify) });
  const r = verify.data;
  return (
    <Card title={t('audit.title')}>
      <Typography.Paragraph>{t('audit.intro')}</Typography.Paragraph>
      <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
        {t('audit.verify')}
      </Button>
      <div role="status" aria-live="polite" style={{ marginTop: 16 }}>
        {r &&
          (r.ok ? (
            <Alert type="success" showIcon title={t('audit.ok', { count: r.checked })} />
          ) : (
            <Alert type="error" showIcon title={t('audit.broken', { seq: r.firstBrokenSeq, count: r.checked })} />
          ))}
        {verify.error && <Alert type="error" showIcon title={verify.error.message} />}
      </div>
    </Card>
  );
}
