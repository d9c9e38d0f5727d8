// One line of a check list: what was checked, a status the eye can scan (colour + icon + word), and what to do.
import type { ReactNode } from 'react';
import { Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, LoadingOutlined } from '@ant-design/icons';

export type CheckStatus = 'ok' | 'warn' | 'error' | 'checking';

const ICON: Record<CheckStatus, ReactNode> = {
  ok: <CheckCircleFilled style={{ color: '#52c41a' }} />,
  warn: <ExclamationCircleFilled style={{ color: '#faad14' }} />,
  error: <CloseCircleFilled style={{ color: '#ff4d4f' }} />,
  checking: <LoadingOutlined />,
};

export function CheckRow({ label, status, children, testId }: { label: string; status: CheckStatus; children?: ReactNode; testId: string }) {
  return (
    <div data-testid={testId} data-status={status} style={{ display: 'flex', gap: 10, padding: '7px 0', borderBottom: '1px solid #f0f0f0' }}>
      <span style={{ fontSize: 16, lineHeight: '22px' }} aria-hidden>
        {ICON[status]}
      </span>
      <Space orientation="vertical" size={2} style={{ flex: 1 }}>
        <Typography.Text strong>{label}</Typography.Text>
        {children && <Typography.Text type={status === 'error' ? 'danger' : status === 'warn' ? 'warning' : 'secondary'}>{children}</Typography.Text>}
      </Space>
    </div>
  );
}
