// Mount once on the candidate's exam screens (from 【进入考试】 to the end): starts monitoring and shows a
// proctor's 警告 in a modal that only the candidate's 【我已知晓】 closes; the acknowledgement goes to the server.
// Warnings not yet acknowledged are fetched again on mount, so a reload shows them again.
import { useEffect, useRef, useState } from 'react';
import { Button, Modal, Typography } from 'antd';
import { WarningFilled } from '@ant-design/icons';
import { routes, type Warning } from '@invigil/contracts';
import { call } from '../api/client.ts';
import i18n from '../i18n/index.ts';
import { startMonitoring, type MonitoringOptions } from './monitoring.ts';

const T = {
  'zh-CN': { title: '监考老师警告', ack: '我已知晓', from: '{{by}} · {{time}}' },
  en: { title: 'Warning from the proctor', ack: 'I understand', from: '{{by}} · {{time}}' },
};
i18n.addResourceBundle('zh-CN', 'monitoring', T['zh-CN'], true, true);
i18n.addResourceBundle('en', 'monitoring', T.en, true, true);

export function CandidateMonitoring(props: Omit<MonitoringOptions, 'device'>) {
  const [queue, setQueue] = useState<Warning[]>([]);
  const [acking, setAcking] = useState(false);
  const opts = useRef(props);
  opts.current = props;
  const t = i18n.getFixedT(null, 'monitoring');

  useEffect(() => {
    const stop = startMonitoring({ ...opts.current, streams: () => opts.current.streams(), backlog: () => opts.current.backlog?.() ?? { bytes: 0, segments: 0 } });
    const add = (w: Warning) => setQueue((q) => (q.some((x) => x.id === w.id) ? q : [...q, w]));
    props.socket.on('warning:show', add);
    void call(routes.myWarnings).then(
      (ws) => ws.forEach(add),
      () => undefined,
    );
    return () => {
      props.socket.off('warning:show', add);
      stop();
    };
  }, [props.socket]);

  const current = queue[0];
  async function acknowledge() {
    if (!current) return;
    setAcking(true);
    try {
      await call(routes.ackWarning, { params: { id: current.id } });
    } catch {
      // Offline: close it anyway; it is shown again after the next load until the server has the ack.
    } finally {
      setAcking(false);
      setQueue((q) => q.slice(1));
    }
  }

  return (
    <Modal
      open={!!current}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      centered
      width={560}
      title={
        <span style={{ color: '#cf1322', fontSize: 20 }}>
          <WarningFilled /> {t('title')}
        </span>
      }
      footer={
        <Button type="primary" danger size="large" loading={acking} onClick={() => void acknowledge()} data-testid="warning-ack">
          {t('ack')}
        </Button>
      }
      styles={{ body: { paddingTop: 8 } }}
    >
      <div role="alert" data-testid="proctor-warning">
        <Typography.Paragraph style={{ fontSize: 20, lineHeight: 1.7, margin: '8px 0' }}>{current?.text}</Typography.Paragraph>
        <Typography.Text type="secondary">{current && t('from', { by: current.by, time: new Date(current.at).toLocaleTimeString('zh-CN', { hour12: false }) })}</Typography.Text>
      </div>
    </Modal>
  );
}
