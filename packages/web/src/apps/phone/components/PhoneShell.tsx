// The frame of every phone screen: a compact header (product, 手机佐证端, language) and a single column sized
// for a phone held in one hand.
import type { ReactNode } from 'react';
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { toggleLanguage } from '../../../i18n/index.ts';

export function PhoneShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation('phone');
  return (
    <div style={{ minHeight: '100dvh', background: '#f4f6f9', display: 'flex', flexDirection: 'column' }}>
      <style>{'body{margin:0;-webkit-text-size-adjust:100%}'}</style>
      <header style={{ background: '#fff', borderBottom: '1px solid #e5e8ee', display: 'flex', alignItems: 'center', padding: '0 12px', height: 48, gap: 8 }}>
        <Typography.Text strong style={{ color: '#1557b0', fontSize: 16, whiteSpace: 'nowrap' }}>
          {t('product')} {t('title')}
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Button size="small" type="text" onClick={toggleLanguage} aria-label="language">
          {t('common.language', { ns: 'translation' })}
        </Button>
      </header>
      <main style={{ flex: 1, width: '100%', maxWidth: 520, margin: '0 auto', padding: 12, boxSizing: 'border-box' }}>{children}</main>
    </div>
  );
}

/** A card-like section with a heading; every phone screen is one or two of these. */
export function Section({ title, children, extra }: { title?: ReactNode; children: ReactNode; extra?: ReactNode }) {
  return (
    <section style={{ background: '#fff', borderRadius: 10, padding: 16, marginBottom: 12, boxShadow: '0 1px 2px rgba(0,0,0,.04)' }}>
      {title && (
        <div style={{ display: 'flex', alignItems: 'center', marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0, fontSize: 18, flex: 1 }}>
            {title}
          </Typography.Title>
          {extra}
        </div>
      )}
      {children}
    </section>
  );
}
