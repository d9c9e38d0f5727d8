// The one writer behind every staff export (试测情况, 成绩, 考勤, 上传与佐证, 违纪): a table is a sheet name, a header
// row and data rows; the same tables become one .xlsx workbook (a sheet each) or CSV (one table per file).
import ExcelJS from 'exceljs';

export type Cell = string | number | null;
export interface Sheet {
  name: string;
  header: string[];
  rows: Cell[][];
  /** Column width in characters (16 when not given). */
  width?: number;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/** A leading =, +, - or @ would run as a formula in Excel (CSV injection): such text is written as text. */
const FORMULA = /^[=+\-@]/;

function csvCell(v: Cell): string {
  const s = v === null ? '' : String(v);
  const safe = typeof v === 'string' && FORMULA.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV, UTF-8 with a BOM so that Excel opens the Chinese text correctly. */
export function toCsv(sheet: Sheet): string {
  return '\uFEFF' + [sheet.header, ...sheet.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One workbook, a sheet per table, bold frozen header. Text cells that look like formulas stay text. */
export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Invigil';
  for (const s of sheets) {
    // Excel refuses sheet names over 31 characters or with []:*?/\ in them.
    const ws = wb.addWorksheet(s.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
    ws.addRow(s.header).font = { bold: true };
    for (const row of s.rows) ws.addRow(row);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((c) => (c.width = s.width ?? 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Epoch ms as "2026-06-21 09:05:00" in the staff member's time zone (CSV and .xlsx alike: no zone surprises). */
export function localTime(ms: number | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return '';
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** The file name in Content-Disposition: ASCII fallback plus the UTF-8 name (RFC 6266). */
export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
