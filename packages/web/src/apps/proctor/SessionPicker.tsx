// The session being watched, in the URL (?session=) so a link opens the right room; defaults to the newest.
import { useCallback, useEffect } from 'react';
import { Select } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useStaffSessions } from './useMonitor.ts';

export function useSessionParam(): [string | null, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const sessions = useStaffSessions();
  const current = params.get('session') ?? sessions.data?.[0]?.id ?? null;
  // Stable while the URL is: the console's header is memoized on it.
  const set = useCallback(
    (id: string) => {
      const next = new URLSearchParams(params);
      next.set('session', id);
      setParams(next, { replace: true });
    },
    [params, setParams],
  );
  // Put the default into the URL once, so links and reloads keep the same session.
  useEffect(() => {
    if (!params.get('session') && current) set(current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current]);
  return [current, set];
}

export function SessionPicker({ value, onChange }: { value: string | null; onChange: (id: string) => void }) {
  const { t } = useTranslation('proctor');
  const sessions = useStaffSessions();
  return (
    <Select
      aria-label={t('session')}
      style={{ width: 300 }}
      loading={sessions.isPending}
      value={value ?? undefined}
      placeholder={t('noSession')}
      onChange={onChange}
      options={(sessions.data ?? []).map((s) => ({ value: s.id, label: `${s.examName} · ${s.name}` }))}
    />
  );
}
