// One registered photo (报名照片): pick a .jpg/.png, the server checks it (one face, large enough) and answers
// accepted or the reason it was refused, shown to the person at once. Admins register or replace; support adds a
// missing one on the exam morning (the server refuses anything else and audits every upload).
import { useState } from 'react';
import { App, Button, Upload } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { call } from '../api/client.ts';
import './i18n.ts';

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

interface Props {
  candidateId: string;
  candidateName: string;
  mode: 'upload' | 'replace' | 'fixMissing';
  onDone: () => void;
}

export function PhotoUploadButton({ candidateId, candidateName, mode, onDone }: Props) {
  const { t } = useTranslation('photos');
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  async function send(file: File) {
    setBusy(true);
    try {
      const r = await call(routes.registerPhoto, { params: { candidateId }, body: { imageBase64: await base64Of(file) } });
      if (r.accepted) void message.success(t('acceptedOne', { name: candidateName }));
      else void message.error({ content: t('refusedOne', { name: candidateName, reason: t(`reason.${r.reason ?? 'unreadable'}`) }), duration: 8 });
      onDone();
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Upload accept=".jpg,.jpeg,.png,image/jpeg,image/png" showUploadList={false} customRequest={({ file }) => void send(file as File)} disabled={busy}>
      <Button size="small" type="link" icon={<CameraOutlined />} loading={busy} data-testid={`photo-${mode}`}>
        {t(mode)}
      </Button>
    </Upload>
  );
}
