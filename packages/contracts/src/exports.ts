// A session's staff exports (考勤, 上传与佐证, 违纪): which reports exist and how one is asked for.
//   GET /api/sessions/:id/export/:report?format=xlsx|csv&tz=…   admin, support   report: attendance | uploads
//   GET /api/sessions/:id/export/flags?format=xlsx|csv&tz=…     admin
import { z } from 'zod';

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const ExportFormat = z.enum(['xlsx', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const ExportQuery = z.object({
  format: ExportFormat.default('xlsx'),
  /** The staff member's time zone (the browser's), so the times in the file are the ones on their screen. */
  tz: z.string().max(64).refine(isTimeZone, 'unknown time zone').default('Asia/Shanghai'),
});
/** The reports support may take too (their exam-day lists); flags are the administrator's. */
export const SupportReport = z.enum(['attendance', 'uploads']);
