// Candidate import from .xlsx and .csv through the real route: all rows or none, with a per-row report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { idCardCheckChar } from '@invigil/contracts';
import { makeApp, seed, type TestApp } from './helpers/app.ts';

let t: TestApp;
let admin: string;
let sessionId: string;

function idNumber(i: number) {
  const body = `44030619900101${String(i).padStart(3, '0')}`;
  return body + idCardCheckChar(body);
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考生');
  ws.addRow(['姓名', '身份证号', '准考证号', '考场']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(filename: string, content: Buffer) {
  const boundary = '----invigil' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(filename: string, content: Buffer, lang = 'zh-CN') {
  const m = multipart(filename, content);
  return t.app.inject({ method: 'POST', url: `/api/sessions/${sessionId}/candidates/import`, payload: m.payload, headers: { ...m.headers, cookie: admin, 'accept-language': lang } });
}
const count = async () => (await t.req('GET', `/api/sessions/${sessionId}/candidates?limit=1`, admin)).json().total as number;

beforeAll(async () => {
  t = await makeApp('sqlite');
  const demo = await seed(t, 3600, 1500, 0);
  sessionId = demo.sessionId;
  admin = await t.login(demo.admin.username, demo.admin.password);
});
afterAll(() => t.cleanup());

describe('candidate import', () => {
  it('imports 200 candidates from .xlsx, creating rooms by name', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`考生${i}`, idNumber(i), `T${String(i).padStart(5, '0')}`, i < 100 ? '第1考场' : '第2考场']);
    const res = await upload('candidates.xlsx', await xlsx(rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 200, errors: [] });
    expect(await count()).toBe(200);
    const rooms = (await t.req('GET', `/api/sessions/${sessionId}/rooms`, admin)).json();
    // The demo's existing 第1考场 is reused, 第2考场 is created.
    expect(rooms.map((r: { name: string }) => r.name).sort()).toEqual(['第1考场', '第2考场']);
  });

  it('reports every bad row and imports nothing', async () => {
    const bad = idNumber(300).slice(0, 17) + (idNumber(300).endsWith('1') ? '2' : '1');
    const rows = [
      ['好考生', idNumber(301), 'N00001', ''],
      ['校验错', bad, 'N00002', ''],
      ['', idNumber(302), 'N00003', ''],
      ['重复', idNumber(301), 'N00004', ''],
      ['无准考证', idNumber(303), '', ''],
      ['已存在', idNumber(5), 'N00006', ''],
    ];
    const res = await upload('broken.xlsx', await xlsx(rows));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('IMPORT_INVALID');
    expect(body.error.message).toBe('导入文件有错误，未导入任何考生。');
    expect(body.error.details.errors).toEqual([
      { row: 3, column: '身份证号', reason: '校验位不正确（请核对最后一位）' },
      { row: 4, column: '姓名', reason: '不能为空' },
      { row: 5, column: '身份证号', reason: '与文件第 2 行重复' },
      { row: 6, column: '准考证号', reason: '不能为空' },
      { row: 7, column: '身份证号', reason: '本场次已存在该考生' },
    ]);
    expect(await count()).toBe(200);
  });

  it('reports in English when asked', async () => {
    const res = await upload('broken.xlsx', await xlsx([['x', '123', 'T1', '']]), 'en');
    expect(res.json().error.details.errors[0]).toEqual({ row: 2, column: 'ID number', reason: 'has a wrong format' });
  });

  it('reads a GBK-encoded CSV as Excel on Chinese Windows saves it, with quoted fields', async () => {
    const text = `姓名,身份证号,准考证号\r\n"欧阳, 娜",${idNumber(400)},C0001\r\n张伟,${idNumber(401)},C0002\r\n`;
    const encoded = encodeGbk(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(encoded)).toThrow(); // really not UTF-8
    const res = await upload('c.csv', encoded);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().imported).toBe(2);
    const list = (await t.req('GET', `/api/sessions/${sessionId}/candidates?q=${encodeURIComponent('欧阳')}`, admin)).json();
    expect(list.items[0].name).toBe('欧阳, 娜');
  });

  it('refuses a file that is not a spreadsheet, and a sheet without the required headers', async () => {
    expect((await upload('x.pdf', Buffer.from('%PDF'))).json().error.code).toBe('IMPORT_UNREADABLE');
    expect((await upload('x.xlsx', Buffer.from('not a zip'))).json().error.code).toBe('IMPORT_UNREADABLE');
    const res = await upload('h.csv', Buffer.from('name,foo\nA,B\n'));
    expect(res.json().error.details.errors[0].reason).toMatch(/缺少表头列/);
  });
});

/** GBK bytes for a string (Node has a GBK decoder but no encoder): search the decoder's table. */
function encodeGbk(text: string): Buffer {
  const dec = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...table.get(ch)!);
  }
  return Buffer.from(out);
}
