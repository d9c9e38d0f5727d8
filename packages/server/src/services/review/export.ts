// Results as a workbook (成绩, 评分明细, 违纪) and as CSV, for administrators. Column headers are Chinese first with
// the English word after, so one file serves both readers.
import type { SessionResults } from '@invigil/contracts';
import { toCsv, toXlsx, type Cell, type Sheet } from '../export/sheet.ts';

const CONDUCT = { none: '无 none', warning: '警告 warning', cancel: '取消成绩 cancelled' } as const;
const STATE = { todo: '待评 to do', draft: '草稿 draft', submitted: '已提交 submitted' } as const;

function resultTable(r: SessionResults): { header: string[]; rows: Cell[][] } {
  const header = [
    '抽签号 Number',
    '姓名 Name',
    '身份证号 ID number',
    '准考证号 Ticket',
    '评委组 Panel',
    '考官总分 Examiner totals',
    '成绩 Aggregate',
    '最终 Final',
    '名次 Rank',
    '极差 Spread',
    '偏离考官 Outliers',
    '违纪处理 Conduct',
    '违纪条款 Rule',
    '原因 Reason',
    '违纪数 Flags',
    '上传 Uploads',
    '佐证时限 Proof deadline',
  ];
  const rows = r.rows.map((x) => [
    x.anonymousNumber,
    x.candidateName,
    x.idNumber,
    x.ticket,
    x.panelName,
    x.examiners.map((e) => `${e.examinerName}: ${e.state === 'submitted' ? e.total : STATE[e.state]}`).join('; '),
    x.aggregate,
    x.final ? '是 yes' : '否 no',
    x.rank,
    x.spread,
    x.examiners
      .filter((e) => e.outlier)
      .map((e) => e.examinerName)
      .join('; '),
    CONDUCT[x.conduct.decision],
    x.conduct.rule,
    x.conduct.reason,
    Object.values(x.flagsByType).reduce((s, n) => s + n, 0),
    x.uploads.map((u) => `${u.stream}: ${u.status}`).join('; '),
    x.proofDeadline,
  ]);
  return { header, rows };
}

export async function resultsWorkbook(r: SessionResults): Promise<Buffer> {
  const t = resultTable(r);
  const criteria = r.rubric?.criteria ?? [];
  const marks: Sheet = {
    name: '评分明细 Scores',
    header: ['抽签号 Number', '姓名 Name', '考官 Examiner', '状态 State', ...criteria.map((c) => `${c.name} (${c.maxPoints})`), '总分 Total', '偏离 Outlier', '评语 Comment'],
    rows: r.rows.flatMap((x) =>
      x.examiners.map((e) => [x.anonymousNumber, x.candidateName, e.examinerName, STATE[e.state], ...criteria.map((c) => e.marks[c.id] ?? null), e.total, e.outlier ? '是 yes' : '', e.comment]),
    ),
  };
  const flags: Sheet = {
    name: '违纪 Flags',
    header: ['抽签号 Number', '姓名 Name', '类型 Type', '次数 Count'],
    rows: r.rows.flatMap((x) => Object.entries(x.flagsByType).map(([type, n]) => [x.anonymousNumber, x.candidateName, type, n])),
  };
  return toXlsx([{ name: '成绩 Results', ...t }, marks, flags]);
}

export function resultsCsv(r: SessionResults): string {
  return toCsv({ name: '成绩 Results', ...resultTable(r) });
}
