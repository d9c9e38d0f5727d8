// 佐证绑定 on the desktop: the QR code (with a magnifier, as the seed asks), the short bind code, and the phone's
// live status. A code is single-use and short-lived: it renews itself when it expires and after a phone used it,
// so a candidate whose phone broke just scans again with another phone.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Modal, Row, Space, Steps, Typography } from 'antd';
import { ReloadOutlined, ZoomInOutlined } from '@ant-design/icons';
import { QRCodeSVG } from 'qrcode.react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatBindCode, type PhoneStage } from '@invigil/contracts';
import './i18n.ts';
import { issueBindCode } from './api.ts';
import { useProofStatus } from './use-proof-status.ts';
import { ProofStatusTag } from './ProofStatusBadge.tsx';

export interface ProofBindingPanelProps {
  attemptId: string;
  /** Called when the candidate clicks 下一步, which is possible once the phone records continuously. */
  onBound?: () => void;
}

const STAGES: PhoneStage[] = ['bound', 'consented', 'scanning', 'placing', 'recording'];

export function ProofBindingPanel({ attemptId, onBound }: ProofBindingPanelProps) {
  const { t } = useTranslation('phone');
  const [big, setBig] = useState(false);
  const [now, setNow] = useState(Date.now());
  const status = useProofStatus(attemptId).data;
  const code = useQuery({
    queryKey: ['proof-bind-code', attemptId],
    queryFn: async () => ({ ...(await issueBindCode()), receivedAt: Date.now() }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const issued = code.data;
  const expiresLocal = issued ? issued.receivedAt + issued.ttlSec * 1000 : 0;
  const left = Math.max(0, Math.ceil((expiresLocal - now) / 1000));

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const { refetch, isFetching } = code;
  // Expired → a fresh code. Used by a phone (a new phone id) → a fresh code, ready for a re-pair.
  useEffect(() => {
    if (issued && left === 0 && !isFetching) void refetch();
  }, [issued, left, isFetching, refetch]);
  useEffect(() => {
    if (status?.phoneId) void refetch();
  }, [status?.phoneId, refetch]);

  const ready = status?.connection === 'recording' && status.stage === 'recording';
  const stageIndex = status?.stage ? STAGES.indexOf(status.stage) : -1;
  const typeUrl = issued ? new URL(issued.url).origin + '/m' : '';

  return (
    <Card title={t('panel.title')} extra={<ProofStatusTag status={status} />} data-testid="proof-binding-panel">
      <Row gutter={[24, 16]} align="top">
        <Col xs={24} md={10} style={{ textAlign: 'center' }}>
          {issued ? (
            <>
              <div style={{ display: 'inline-block', padding: 8, background: '#fff', border: '1px solid #e5e8ee', borderRadius: 8 }}>
                <QRCodeSVG value={issued.url} size={196} marginSize={2} data-testid="proof-qr" data-url={issued.url} role="img" aria-label={t('panel.qrAlt')} title={t('panel.qrAlt')} />
              </div>
              <div>
                <Button icon={<ZoomInOutlined />} onClick={() => setBig(true)} style={{ marginTop: 8 }} aria-label={t('panel.magnify')}>
                  {t('panel.magnify')}
                </Button>
              </div>
            </>
          ) : (
            <div style={{ height: 212 }} />
          )}
        </Col>
        <Col xs={24} md={14}>
          <Typography.Paragraph>{t('panel.scan')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            {t('panel.typeCode', { url: typeUrl })}
          </Typography.Paragraph>
          <Space align="center" wrap>
            <Typography.Text strong style={{ fontFamily: 'monospace', fontSize: 30, letterSpacing: 3 }} data-testid="bind-code" copyable={issued ? { text: issued.code } : false}>
              {issued ? formatBindCode(issued.code) : '····-····'}
            </Typography.Text>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching}>
              {t('panel.renew')}
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {issued ? t('panel.expiresIn', { sec: left }) : ''}
          </Typography.Paragraph>
          {issued?.selfSigned && <Alert type="info" showIcon title={t('panel.selfSigned')} style={{ marginBottom: 12 }} />}
          {code.isError && <Alert type="error" showIcon title={(code.error as Error).message} style={{ marginBottom: 12 }} />}
          <Steps
            size="small"
            direction="vertical"
            current={stageIndex}
            status={status?.connection === 'disconnected' ? 'error' : undefined}
            items={STAGES.map((s) => ({ title: t(`panel.stage.${s}`) }))}
            data-testid="proof-stage"
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('panel.rebind')}
          </Typography.Paragraph>
          <Button type="primary" size="large" disabled={!ready} onClick={onBound} data-testid="proof-next">
            {t('panel.next')}
          </Button>
          {!ready && (
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {t('panel.waitRecording')}
            </Typography.Text>
          )}
        </Col>
      </Row>
      <Modal open={big} onCancel={() => setBig(false)} footer={null} width={480} centered title={t('panel.title')}>
        <div style={{ textAlign: 'center' }}>
          {issued && (
            <QRCodeSVG
              value={issued.url}
              size={400}
              marginSize={2}
              style={{ width: '100%', height: 'auto' }}
              data-testid="proof-qr-large"
              role="img"
              aria-label={t('panel.qrAlt')}
              title={t('panel.qrAlt')}
            />
          )}
          <Typography.Text strong style={{ display: 'block', fontFamily: 'monospace', fontSize: 36, letterSpacing: 4 }}>
            {issued ? formatBindCode(issued.code) : ''}
          </Typography.Text>
        </div>
      </Modal>
    </Card>
  );
}
