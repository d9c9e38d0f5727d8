// Import candidates from .xlsx or .csv. All or nothing: a file with any bad row imports nothing and
// gets a per-row report (row, column, reason) the administrator can fix in Excel and upload again.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { idNumberProblem, normalizeIdNumber, type ImportRowError, type Lang } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';
import { newAnonymousNumber } from './admin.ts';

type Column = 'name' | 'idNumber' | 'ticket' | 'room';
// Header names administrators actually type, in both languages.
const HEADERS: Record<Column, string[]> = {
  name: ['姓名', '考生姓名', 'name'],
  idNumber: ['身份证号', '身份证号码', '证件号码', 'idnumber', 'id number', 'id'],
  ticket: ['准考证号', '准考证', 'ticket', 'admission ticket'],
  room: ['考场', '监考间', 'room'],
};
const REQUIRED: Column[] = ['name', 'idNumber', 'ticket'];
const COLUMN_LABEL: Record<Lang, Record<Column, string>> = {
  'zh-CN': { name: '姓名', idNumber: '身份证号', ticket: '准考证号', room: '考场' },
  en: { name: 'name', idNumber: 'ID number', ticket: 'ticket', room: 'room' },
};
const REASONS = {
  missing: { 'zh-CN': '不能为空', en: 'is empty' },
  format: { 'zh-CN': '格式不正确', en: 'has a wrong format' },
  checksum: { 'zh-CN': '校验位不正确（请核对最后一位）', en: 'check digit is wrong (check the last character)' },
  dupFile: { 'zh-CN': '与文件第 {row} 行重复', en: 'duplicates row {row} of the file' },
  dupExisting: { 'zh-CN': '本场次已存在该考生', en: 'already exists in this session' },
  tooLong: { 'zh-CN': '过长', en: 'is too long' },
  noHeader: { 'zh-CN': '缺少表头列“{col}”', en: 'missing header column "{col}"' },
  empty: { 'zh-CN': '文件中没有考生数据', en: 'the file has no candidate rows' },
} as const;

export interface ParsedRow {
  row: number;
  cells: Partial<Record<Column, string>>;
}

function reason(lang: Lang, key: keyof typeof REASONS, params: Record<string, string | number> = {}) {
  return REASONS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

function decodeText(buf: Buffer): string {
  // Excel in Chinese Windows saves CSV as GBK; try UTF-8 strictly first.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(buf);
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return String(v.result ?? '');
    if (v instanceof Date) return v.toISOString();
  }
  // Long ID numbers typed as numbers lose digits in Excel; the checksum check will catch that.
  return String(v);
}

export async function readTable(file: Buffer, filename: string): Promise<string[][]> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv')) return parseCsv(decodeText(file));
  if (!lower.endsWith('.xlsx')) throw new AppError('IMPORT_UNREADABLE');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('IMPORT_UNREADABLE');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('IMPORT_UNREADABLE');
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => {
    const vals: string[] = [];
    for (let c = 1; c <= Math.max(r.cellCount, 1); c++) vals.push(cellText(r.getCell(c).value).trim());
    out[n - 1] = vals;
  });
  return Array.from(out, (r) => r ?? []);
}

export function mapRows(table: string[][], lang: Lang): { rows: ParsedRow[]; errors: ImportRowError[] } {
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const index: Partial<Record<Column, number>> = {};
  for (const col of Object.keys(HEADERS) as Column[]) {
    const i = header.findIndex((h) => HEADERS[col].includes(h));
    if (i >= 0) index[col] = i;
  }
  const errors: ImportRowError[] = [];
  for (const col of REQUIRED) if (index[col] === undefined) errors.push({ row: 1, column: COLUMN_LABEL[lang][col], reason: reason(lang, 'noHeader', { col: COLUMN_LABEL[lang][col] }) });
  if (errors.length) return { rows: [], errors };
  const rows: ParsedRow[] = [];
  table.slice(1).forEach((cells, i) => {
    if (cells.every((c) => !c.trim())) return; // blank lines at the end of a sheet are not rows
    const get = (c: Column) => (index[c] === undefined ? undefined : (cells[index[c]!] ?? '').trim());
    rows.push({ row: i + 2, cells: { name: get('name'), idNumber: get('idNumber'), ticket: get('ticket'), room: get('room') } });
  });
  return { rows, errors };
}

export async function importCandidates(ctx: Ctx, actor: string, sessionId: string, file: Buffer, filename: string, lang: Lang) {
  const session = await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const { rows, errors } = mapRows(await readTable(file, filename), lang);
  const L = COLUMN_LABEL[lang];
  if (!errors.length && !rows.length) errors.push({ row: 1, column: '', reason: reason(lang, 'empty') });
  const existing = await ctx.db.selectFrom('candidates').select(['id_number', 'ticket', 'anonymous_number']).where('session_id', '=', sessionId).execute();
  const existingIds = new Set(existing.map((e) => e.id_number));
  const existingTickets = new Set(existing.map((e) => e.ticket));
  const seenId = new Map<string, number>();
  const seenTicket = new Map<string, number>();
  for (const r of rows) {
    const { name = '', idNumber = '', ticket = '' } = r.cells;
    if (!name) errors.push({ row: r.row, column: L.name, reason: reason(lang, 'missing') });
    else if (name.length > 100) errors.push({ row: r.row, column: L.name, reason: reason(lang, 'tooLong') });
    const id = normalizeIdNumber(idNumber);
    const idProblem = idNumber ? idNumberProblem(id) : 'missing';
    if (idProblem) errors.push({ row: r.row, column: L.idNumber, reason: reason(lang, idProblem) });
    else if (seenId.has(id)) errors.push({ row: r.row, column: L.idNumber, reason: reason(lang, 'dupFile', { row: seenId.get(id)! }) });
    else if (existingIds.has(id)) errors.push({ row: r.row, column: L.idNumber, reason: reason(lang, 'dupExisting') });
    seenId.set(id, seenId.get(id) ?? r.row);
    if (!ticket) errors.push({ row: r.row, column: L.ticket, reason: reason(lang, 'missing') });
    else if (!/^[A-Za-z0-9-]{1,32}$/.test(ticket)) errors.push({ row: r.row, column: L.ticket, reason: reason(lang, 'format') });
    else if (seenTicket.has(ticket)) errors.push({ row: r.row, column: L.ticket, reason: reason(lang, 'dupFile', { row: seenTicket.get(ticket)! }) });
    else if (existingTickets.has(ticket)) errors.push({ row: r.row, column: L.ticket, reason: reason(lang, 'dupExisting') });
    seenTicket.set(ticket, seenTicket.get(ticket) ?? r.row);
  }
  if (errors.length) throw new AppError('IMPORT_INVALID', {}, { imported: 0, errors });

  const now = ctx.clock.now();
  const imported = await withAudit(
    ctx.db,
    async (trx) => {
      const rooms = await trx.selectFrom('rooms').select(['id', 'name']).where('session_id', '=', sessionId).execute();
      const roomByName = new Map(rooms.map((r) => [r.name, r.id]));
      const taken = new Set(existing.map((e) => e.anonymous_number));
      const values = [];
      for (const r of rows) {
        let roomId: string | null = null;
        if (r.cells.room) {
          roomId = roomByName.get(r.cells.room) ?? null;
          if (!roomId) {
            roomId = randomUUID();
            await trx.insertInto('rooms').values({ id: roomId, session_id: sessionId, name: r.cells.room }).execute();
            roomByName.set(r.cells.room, roomId);
          }
        }
        values.push({
          id: randomUUID(),
          session_id: sessionId,
          room_id: roomId,
          panel_id: null,
          name: r.cells.name!,
          id_number: normalizeIdNumber(r.cells.idNumber!),
          ticket: r.cells.ticket!,
          anonymous_number: newAnonymousNumber(taken),
          photo_key: null,
          created_at: now,
        });
      }
      for (let i = 0; i < values.length; i += 200)
        await trx
          .insertInto('candidates')
          .values(values.slice(i, i + 200))
          .execute();
      return { result: values.length, audit: { actor, action: 'candidate.import', target: `session:${sessionId}`, data: { filename, count: values.length } } };
    },
    now,
  );
  return { imported, errors: [] };
}
