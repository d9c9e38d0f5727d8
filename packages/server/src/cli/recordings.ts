// `invigil recordings --session ID [--json]`: is every candidate's every stream recorded? One line per
// candidate and stream, the same rows as GET /api/sessions/:id/recordings.
import { sessionProof, renderProofUploads } from '../services/proof/index.ts';
import { parseArgs } from 'node:util';
import type { SessionRecordingRow } from '@invigil/contracts';
import type { Ctx } from '../services/context.ts';
import { recordingsStatus } from '../services/recordings/status.ts';
import { AppError } from '../services/errors.ts';

const USAGE = 'Usage: invigil recordings --session ID [--json]';

interface Out {
  write(s: string): unknown;
}

/** Exit code 0 when every stream is complete, 1 when any is partial, missing or still uploading, 2 on misuse. */
export async function recordingsCommand(ctx: Ctx, args: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  let values: { session?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { session: { type: 'string' }, json: { type: 'boolean' } } }));
  } catch (e) {
    err.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!values.session) {
    err.write(`--session is required\n${USAGE}\n`);
    return 2;
  }
  let result;
  try {
    result = await recordingsStatus(ctx, values.session);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') {
      err.write(`No session with id ${values.session}\n`);
      return 2;
    }
    throw e;
  }
  // The phone's proof video has its own deadline (seed: 60 minutes after the exam): shown with the recordings.
  const proof = await sessionProof(ctx, ctx.config.proof, 'operator', values.session);
  out.write(values.json ? `${JSON.stringify({ ...result, proofUploads: proof }, null, 2)}\n` : renderTable(result.rows) + renderProofUploads(proof));
  return result.rows.every((r) => r.status === 'complete') ? 0 : 1;
}

export function renderTable(rows: SessionRecordingRow[]): string {
  const head = ['ticket', 'candidate', 'stream', 'status', 'duration', 'segments', 'MB', 'gaps', 'sha256', 'assembly'];
  const body = rows.map((r) => [
    r.ticket,
    r.candidateName,
    r.stream,
    r.status + (r.missingSeqs.length ? ` (holes: ${r.missingSeqs.slice(0, 5).join(',')}${r.missingSeqs.length > 5 ? ',…' : ''})` : ''),
    clock(r.seconds),
    String(r.segments),
    (r.bytes / 1e6).toFixed(1),
    r.gaps ? `${r.gaps} (${r.gapSeconds.toFixed(1)} s)` : '0',
    r.sha256 ? r.sha256.slice(0, 12) : '-',
    assemblyCell(r),
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((row) => width(row[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'no candidates';
  return [line(head), ...body.map(line), '', `${rows.length} streams: ${summary}`, ''].join('\n');
}

/** Upload done ≠ assembled: where the assembly job is, how often it was tried, and why it failed. */
function assemblyCell(r: SessionRecordingRow): string {
  const a = r.assembly;
  if (!a) return '-';
  const tries = a.attempts > 1 ? ` (${a.attempts} attempts)` : '';
  return `${a.state}${tries}${a.error && a.state !== 'assembled' ? `: ${a.error.split('\n')[0]!.slice(0, 120)}` : ''}`;
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Chinese names are two columns wide in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
