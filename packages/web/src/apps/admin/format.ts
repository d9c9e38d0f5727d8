// Dates shown to staff: local time, 24-hour, the same format in both languages (it is what Excel shows too).
import dayjs from 'dayjs';

export const DATE_TIME = 'YYYY-MM-DD HH:mm';

export function fmtTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : dayjs(ms).format(DATE_TIME);
}
