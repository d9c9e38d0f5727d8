// Whether this candidate's self-test counts as done (one successful 自助试测 in the exam), shown after login on
// every session's screens, so a candidate knows before exam day whether they still have to test.
import { Tag, Tooltip } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n.ts';
import { fetchSelfTest } from './api.ts';

export function SelfTestBadge() {
  const { t } = useTranslation('practice');
  const q = useQuery({ queryKey: ['self-test'], queryFn: fetchSelfTest, staleTime: 10_000 });
  if (!q.data?.required) return null;
  const s = q.data;
  return (
    <Tooltip title={s.done ? undefined : t('badge.hint', { started: s.started, succeeded: s.succeeded })}>
      <Tag color={s.done ? 'success' : 'warning'} icon={s.done ? <CheckCircleFilled /> : <ExclamationCircleFilled />} data-testid="self-test-badge" data-done={String(s.done)}>
        {t(s.done ? 'badge.done' : 'badge.notDone')}
      </Tag>
    </Tooltip>
  );
}
