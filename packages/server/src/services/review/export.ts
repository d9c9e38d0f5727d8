// Results as a workbook (成绩, 评分明细, 违纪) and as CSV, for administrators. Column headers are Chinese first with
// the English word after, so one file serves both readers.
import ExcelJS from 'exceljs';
import type { SessionResults } from '@invigil/contracts';

const CONDUCT = { none: '无 none', warning: '警告 warning', cancel: '取消成绩 cancelled' } as const;
const STATE = { todo: '待评 to do', draft: '草稿 draft', submitted: '已提交 submitted' } as const;

function resultTable(r: SessionResults): { header: string[]; rows: Array<Array<string | number | null>> } {
  const header = ['抽签号 Number', '姓名 Name', '身份证号 ID number', '准考证号 Ticket', '评委组 Panel', '考官总分 Examiner totals', '成绩 Aggregate', '最终 Final', '名次 Rank', '极差 Spread', '偏离考官 Outliers', '违纪处理 Conduct', '违纪条款 Rule', '原因 Reason', '违纪数 Flags', '上传 Uploads', '佐证时限 Proof deadline'];
  const rows = r.rows.map((x) => [
    x.anonymousNumber, x.candidateName, x.idNumber, x.ticket, x.panelName,
    x.examiners.map((e) => `${e.examinerName}: ${e.state === 'submitted' ? e.total : STATE[e.state]}`).join('; '),
    x.aggregate, x.final ? '是 yes' : '否 no', x.rank, x.spread,
    x.examiners.filter((e) => e.outlier).map((e) => e.examinerName).join('; '),
    CONDUCT[x.conduct.decision], x.conduct.rule, x.conduct.reason,
    Object.values(x.flagsByType).reduce((s, n) => s + n, 0),
    x.uploads.map((u) => `${u.stream}: ${u.status}`).join('; '), x.proofDeadline,
  ]);
  return { header, rows };
}

export async function resultsWorkbook(r: SessionResults): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Invigil';
  const results = wb.addWorksheet('成绩 Results');
  const t = resultTable(r);
  results.addRow(t.header).font = { bold: true };
  for (const row of t.rows) results.addRow(row);
  results.views = [{ state: 'frozen', ySplit: 1 }];

  const criteria = r.rubric?.criteria ?? [];
  const marks = wb.addWorksheet('评分明细 Scores');
  marks.addRow(['抽签号 Number', '姓名 Name', '考官 Examiner', '状态 State', ...criteria.map((c) => `${c.name} (${c.maxPoints})`), '总分 Total', '偏离 Outlier', '评语 Comment']).font = { bold: true };
  for (const x of r.rows)
    for (const e of x.examiners)
      marks.addRow([x.anonymousNumber, x.candidateName, e.examinerName, STATE[e.state], ...criteria.map((c) => e.marks[c.id] ?? null), e.total, e.outlier ? '是 yes' : '', e.comment]);

  const flags = wb.addWorksheet('违纪 Flags');
  flags.addRow(['抽签号 Number', '姓名 Name', '类型 Type', '次数 Count']).font = { bold: true };
  for (const x of r.rows) for (const [type, n] of Object.entries(x.flagsByType)) flags.addRow([x.anonymousNumber, x.candidateName, type, n]);
  for (const ws of [results, marks, flags]) ws.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // A leading =, +, - or @ would run as a formula in Excel: quote it as text.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** UTF-8 with a BOM, so Excel opens the Chinese text correctly. */
export function resultsCsv(r: SessionResults): string {
  const t = resultTable(r);
  return '\uFEFF' + [t.header, ...t.rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
