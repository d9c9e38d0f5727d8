// The frame of every candidate screen: product name, who is logged in, the language switch, and the eight
// seed steps across the top so the candidate always knows where they are.
import type { ReactNode } from 'react';
import { Button, Layout, Space, Steps, Typography } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { toggleLanguage } from '../../../i18n/index.ts';

export const STEP_KEYS = ['device', 'face', 'proof', 'documents', 'enter', 'confirm', 'answer', 'end'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export interface ShellProps {
  /** Index into STEP_KEYS; -1 before login. */
  current: number;
  /** Steps this session skips (face login / proof binding not required). */
  skipped?: StepKey[];
  /** A step that did not complete (e.g. 开始答题 when a proctor ended the exam): shown as failed, not ticked. */
  failed?: StepKey;
  who?: { name: string; ticket: string } | null;
  extra?: ReactNode;
  children: ReactNode;
}

export function Shell({ current, skipped = [], failed, who, extra, children }: ShellProps) {
  const { t, i18n } = useTranslation('candidate');
  const items = STEP_KEYS.map((k, i) => ({
    title: t(`steps.${k}`),
    status: (k === failed ? 'error' : i < current ? 'finish' : i === current ? 'process' : 'wait') as 'finish' | 'process' | 'wait' | 'error',
    content: skipped.includes(k) ? t('notRequired') : undefined,
  }));
  return (
    <Layout style={{ minHeight: '100vh', background: '#f4f6f9' }}>
      {/* index.html has no CSS reset; the browser's 8 px body margin would frame the page in white. */}
      <style>{'body{margin:0}'}</style>
      <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #e5e8ee', display: 'flex', alignItems: 'center', gap: 16, padding: '0 24px', height: 56 }}>
        <Typography.Title level={4} style={{ margin: 0, color: '#1557b0', whiteSpace: 'nowrap' }}>
          {t('title')}
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Space size="middle">
          {who && (
            <Typography.Text data-testid="candidate-identity">
              {who.name} · {who.ticket}
            </Typography.Text>
          )}
          {extra}
          <Button icon={<GlobalOutlined />} onClick={toggleLanguage} aria-label="language" lang={i18n.language === 'en' ? 'zh-CN' : 'en'}>
            {t('common.language', { ns: 'translation' })}
          </Button>
        </Space>
      </Layout.Header>
      {current >= 0 && (
        <nav aria-label="steps" style={{ background: '#fff', padding: '10px 24px 6px', borderBottom: '1px solid #e5e8ee' }}>
          <Steps size="small" current={current} items={items} responsive={false} />
        </nav>
      )}
      <Layout.Content style={{ padding: '16px 24px 24px', maxWidth: 1240, width: '100%', margin: '0 auto' }}>{children}</Layout.Content>
    </Layout>
  );
}
