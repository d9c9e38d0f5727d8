// Live camera + screen of a candidate's desktop, and on demand the phone's proof camera. Opened when the panel
// opens, closed (streams stopped, peer connections closed) when it closes. The candidate sees nothing of it.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Col, Row, Spin, Typography } from 'antd';
import { MobileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { LiveDevice, LiveStreamKind } from '@invigil/contracts';
import { openLiveView, SOCKET_LOST, type LiveViewHandle } from '../../monitoring/live-viewer.ts';
import { staffSocket } from '../../api/staff-socket.ts';

type Streams = Partial<Record<LiveStreamKind, MediaStream>>;

/**
 * Ends after which the device may come back by itself: its connection dropped (device-left) or was not there
 * when asked (DEVICE_OFFLINE), it did not answer (TIMEOUT), the media path broke (failed), or it had nothing to
 * show yet (no-media). While the panel stays open the view is asked for again every RETRY_MS, so a proctor never
 * has to notice a blip and click again; every other end (closed, NOT_FOUND…) is final.
 */
export const RETRY_REASONS = new Set(['device-left', 'DEVICE_OFFLINE', 'TIMEOUT', 'failed', 'no-media']);
const RETRY_MS = 3000;

function useLiveDevice(attemptId: string, device: LiveDevice, enabled: boolean) {
  const [streams, setStreams] = useState<Streams>({});
  const [state, setState] = useState<{ s: 'idle' | 'connecting' | 'live' | 'closed'; reason?: string }>({ s: 'idle' });
  // Counts the views opened again because the console's socket dropped (a blip, or missed pings on a busy computer).
  const [reopened, setReopened] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const socket = staffSocket();
    let handle: LiveViewHandle | null = null;
    let gone = false;
    const reopen = () => !gone && setReopened((n) => n + 1);
    let retry: ReturnType<typeof setTimeout> | undefined;
    void openLiveView(socket, attemptId, device, {
      onStream: (kind, stream) => !gone && setStreams((s) => ({ ...s, [kind]: stream })),
      onState: (s, reason) => {
        if (gone) return;
        if (s === 'closed' && reason === SOCKET_LOST) {
          // No frozen last frame that looks live: connecting again until the socket is back and a new view runs.
          setStreams({});
          setState({ s: 'connecting' });
          if (socket.connected) reopen();
          else socket.once('connect', reopen);
        } else if (s === 'closed' && reason && RETRY_REASONS.has(reason)) {
          setStreams({});
          setState({ s, reason });
          retry = setTimeout(reopen, RETRY_MS);
        } else setState({ s, reason });
      },
    }).then((h) => (gone ? h.close() : (handle = h)));
    return () => {
      gone = true;
      clearTimeout(retry);
      socket.off('connect', reopen);
      handle?.close();
      setStreams({});
      setState({ s: 'idle' });
    };
  }, [attemptId, device, enabled, reopened]);
  return { streams, state };
}

function Video({ stream, label, testId }: { stream?: MediaStream; label: string; testId: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== (stream ?? null)) ref.current.srcObject = stream ?? null;
  }, [stream]);
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        <Typography.Text type="secondary">{label}</Typography.Text>
      </figcaption>
      <video ref={ref} autoPlay playsInline muted={testId !== 'live-camera'} data-testid={testId} aria-label={label} />
    </figure>
  );
}

export function LiveView({ attemptId, phoneAvailable }: { attemptId: string; phoneAvailable: boolean }) {
  const { t } = useTranslation('proctor');
  const [phoneOn, setPhoneOn] = useState(false);
  const desktop = useLiveDevice(attemptId, 'desktop', true);
  const phone = useLiveDevice(attemptId, 'phone', phoneOn);
  const problem = (st: typeof desktop.state) =>
    st.s !== 'closed' || st.reason === 'closed'
      ? null
      : st.reason === 'DEVICE_OFFLINE'
        ? t('liveOffline')
        : t(RETRY_REASONS.has(st.reason ?? '') ? 'liveRetrying' : 'liveClosed', { reason: st.reason });
  return (
    <div className="invigil-live" data-testid="live-view" data-state={desktop.state.s}>
      {problem(desktop.state) && <Alert type="warning" showIcon title={problem(desktop.state)} style={{ marginBottom: 8 }} />}
      <Spin spinning={desktop.state.s === 'connecting'} tip={t('liveConnecting')}>
        <Row gutter={8}>
          <Col span={12}>
            <Video stream={desktop.streams.camera} label={t('liveCamera')} testId="live-camera" />
          </Col>
          <Col span={12}>
            <Video stream={desktop.streams.screen} label={t('liveScreen')} testId="live-screen" />
          </Col>
        </Row>
      </Spin>
      <div style={{ marginTop: 8 }}>
        {phoneOn ? (
          <>
            {problem(phone.state) && <Alert type="warning" showIcon title={problem(phone.state)} style={{ marginBottom: 8 }} />}
            <Col span={12} style={{ padding: 0 }}>
              <Video stream={phone.streams.phone ?? phone.streams.camera} label={t('livePhone')} testId="live-phone" />
            </Col>
          </>
        ) : (
          <Button icon={<MobileOutlined />} disabled={!phoneAvailable} onClick={() => setPhoneOn(true)} data-testid="live-open-phone">
            {t('liveOpenPhone')}
          </Button>
        )}
      </div>
    </div>
  );
}
