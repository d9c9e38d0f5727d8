// Camera and microphone permission, with what to do when the browser says no (per browser, per reason).
import { useState } from 'react';
import { Alert, Button, Typography } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CameraError, openFrontCamera, type CameraProblem } from '../device.ts';
import { Section } from '../components/PhoneShell.tsx';

const inAppBrowser = () => /MicroMessenger|QQ\//i.test(navigator.userAgent);

export function CameraScreen({ onStream, resuming = false }: { onStream: (s: MediaStream) => void; resuming?: boolean }) {
  const { t } = useTranslation('phone');
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function open() {
    setBusy(true);
    setProblem(null);
    try {
      onStream(await openFrontCamera());
    } catch (e) {
      setProblem(e instanceof CameraError ? e.problem : 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={resuming ? t('rec.resume') : t('camera.heading')}>
      <Typography.Paragraph type="secondary">{t('camera.intro')}</Typography.Paragraph>
      {problem && <CameraHelp problem={problem} />}
      <Button type="primary" size="large" block icon={<CameraOutlined />} onClick={() => void open()} loading={busy} data-testid="camera-allow">
        {resuming ? t('rec.resume') : problem ? t('camera.retry') : t('camera.allow')}
      </Button>
    </Section>
  );
}

function CameraHelp({ problem }: { problem: CameraProblem }) {
  const { t } = useTranslation('phone');
  if (problem === 'denied')
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="camera-denied"
        style={{ marginBottom: 12 }}
        title={t('camera.denied')}
        description={
          <ul style={{ paddingLeft: 18, margin: 0 }}>
            {inAppBrowser() && <li>{t('camera.deniedWechat')}</li>}
            <li>{t('camera.deniedAndroid')}</li>
            <li>{t('camera.deniedIos')}</li>
          </ul>
        }
      />
    );
  const text = { 'not-found': t('camera.notFound'), 'in-use': t('camera.inUse'), insecure: t('camera.insecure'), error: t('camera.error') }[problem];
  return <Alert type="error" showIcon role="alert" data-testid="camera-problem" style={{ marginBottom: 12 }} title={text} />;
}
