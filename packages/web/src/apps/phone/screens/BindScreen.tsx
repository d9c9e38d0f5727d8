// Binding by typing the code (绑定码 + 【绑定】), for when scanning did not work. A refused code says why.
import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatBindCode, normalizeBindCode, type PhoneState } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { bind } from '../api.ts';
import { Section } from '../components/PhoneShell.tsx';

export function BindScreen({ onBound, initialError, initialCode }: { onBound: (s: PhoneState) => void; initialError?: ApiError | null; initialCode?: string }) {
  const { t } = useTranslation('phone');
  const [error, setError] = useState<ApiError | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);

  async function submit(v: { code: string }) {
    setBusy(true);
    setError(null);
    try {
      onBound(await bind(normalizeBindCode(v.code)));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', String(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={t('bind.heading')}>
      <Typography.Paragraph type="secondary">{t('bind.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={t('bind.failed')} description={error.message} style={{ marginBottom: 12 }} role="alert" data-testid="bind-error" />}
      <Form layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ code: initialCode ? formatBindCode(initialCode) : '' }}>
        <Form.Item name="code" label={t('bind.code')} rules={[{ required: true, whitespace: true, message: t('bind.codeRequired') }]}>
          <Input
            size="large"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            placeholder={t('bind.codePlaceholder')}
            style={{ fontFamily: 'monospace', fontSize: 22, letterSpacing: 2 }}
          />
        </Form.Item>
        {/* The name stays the button's word: antd's loading icon ("loading") can outlive a failed bind in the name. */}
        <Button type="primary" size="large" block htmlType="submit" loading={busy} autoInsertSpace={false} aria-label={t('bind.submit')} aria-busy={busy} data-testid="bind-submit">
          {t('bind.submit')}
        </Button>
      </Form>
    </Section>
  );
}
