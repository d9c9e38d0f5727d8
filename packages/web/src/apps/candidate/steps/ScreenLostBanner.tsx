// The candidate stopped the screen share (browser's "stop sharing" bar): the exam goes on, the event is already
// reported, and one click shares the whole screen again as a new recording run of the screen stream.
import { useState } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { requestWholeScreen } from '../../../devices/index.ts';
import { reshareScreen, useExamMedia } from '../exam-media.ts';
import { SeedButton } from '../components/SeedButton.tsx';
import { reportSignal } from '../signals.ts';

export function ScreenLostBanner() {
  const { t } = useTranslation('candidate');
  const media = useExamMedia();
  const [error, setError] = useState<string | null>(null);
  if (!media.screenLost) return null;
  async function reshare() {
    const share = await requestWholeScreen();
    if (!share.ok) {
      setError(
        share.reason === 'not-whole-screen'
          ? t('enter.notWholeScreen', { surface: t(`enter.surface.${share.displaySurface === 'window' || share.displaySurface === 'browser' ? share.displaySurface : 'unknown'}`) })
          : t('enter.shareDenied'),
      );
      return;
    }
    setError(null);
    await reshareScreen(share.stream, () => reportSignal('screen-share-stopped'));
  }
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      title={t('signals.screen-share-stopped')}
      description={error ?? undefined}
      action={<SeedButton word="刷新" type="primary" onClick={() => void reshare()} data-testid="reshare-screen" />}
    />
  );
}
