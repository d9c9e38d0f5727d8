// Registered photos (报名照片): one per candidate, checked at upload (exactly one face, large enough) and turned
// into a descriptor once, so a login only compares numbers. Bulk import takes a .zip of <ID-card number>.jpg.
import path from 'node:path';
import JSZip from 'jszip';
import type { Readable } from 'node:stream';
import { normalizeIdNumber, type FaceImportReport, type FaceRefusal } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { withAudit } from '../audit.ts';
import { FaceImageUnreadableError } from '../../adapters/face/port.ts';
import { judgeRegistration } from './rules.ts';
import type { FaceDeps } from './settings.ts';

export interface RegisterResult {
  candidateId: string;
  accepted: boolean;
  reason: FaceRefusal | null;
  faceScore: number | null;
}

/** JPEG or PNG by magic bytes: the extension of an uploaded file proves nothing. */
export function imageKind(buf: Buffer): 'jpg' | 'png' | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpg';
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return null;
}

export function decodeBase64Image(s: string): Buffer {
  return Buffer.from(s.replace(/^data:[^,]*,/, ''), 'base64');
}

/**
 * `onlyIfMissing`: support fixing a missing photo on the exam morning may add one, never replace one (that is the
 * administrator's call). The check runs before the engine and again inside the write, so two uploads cannot race.
 */
export async function registerPhoto(ctx: Ctx, deps: FaceDeps, actor: string, candidateId: string, image: Buffer, opts: { onlyIfMissing?: boolean } = {}): Promise<RegisterResult> {
  const cand = await ctx.db.selectFrom('candidates').select(['id']).where('id', '=', candidateId).executeTakeFirst();
  if (!cand) throw notFound();
  const exists = async (db: Pick<Ctx['db'], 'selectFrom'>) => !!(await db.selectFrom('face_registrations').select('candidate_id').where('candidate_id', '=', candidateId).executeTakeFirst());
  if (opts.onlyIfMissing && (await exists(ctx.db))) throw new AppError('FACE_PHOTO_EXISTS');
  const kind = imageKind(image);
  if (!kind) return { candidateId, accepted: false, reason: 'not-an-image', faceScore: null };
  let analysis;
  try {
    analysis = await deps.engine.analyze(image);
  } catch (e) {
    if (e instanceof FaceImageUnreadableError) return { candidateId, accepted: false, reason: 'unreadable', faceScore: null };
    throw e;
  }
  const verdict = judgeRegistration(analysis, deps.settings);
  const now = ctx.clock.now();
  if (!verdict.ok) {
    await withAudit(
      ctx.db,
      async () => ({ result: null, audit: { actor, action: 'face.register-refused', target: `candidate:${candidateId}`, data: { reason: verdict.reason, faces: analysis.faces.length } } }),
      now,
    );
    return { candidateId, accepted: false, reason: verdict.reason, faceScore: null };
  }
  const old = await ctx.db.selectFrom('face_registrations').select('photo_ref').where('candidate_id', '=', candidateId).executeTakeFirst();
  const { ref } = await deps.blobs.put(`faces/${candidateId}/registered.${kind}`, image, { contentType: kind === 'jpg' ? 'image/jpeg' : 'image/png' });
  const row = { photo_ref: ref, descriptor: JSON.stringify(verdict.face.descriptor), face_score: verdict.face.score, created_at: now, created_by: actor, purged_at: null };
  await withAudit(
    ctx.db,
    async (trx) => {
      if (opts.onlyIfMissing && (await exists(trx))) throw new AppError('FACE_PHOTO_EXISTS');
      if (old) await trx.updateTable('face_registrations').set(row).where('candidate_id', '=', candidateId).execute();
      else
        await trx
          .insertInto('face_registrations')
          .values({ candidate_id: candidateId, ...row })
          .execute();
      await trx.updateTable('candidates').set({ photo_key: ref }).where('id', '=', candidateId).execute();
      return {
        result: null,
        audit: {
          actor,
          action: old ? 'face.register-replace' : 'face.register',
          target: `candidate:${candidateId}`,
          data: { faceScore: verdict.face.score, ...(opts.onlyIfMissing ? { fix: 'missing-photo' } : {}) },
        },
      };
    },
    now,
  );
  // A .png replaced by a .jpg (or back) leaves the old file under another key.
  if (old && old.photo_ref !== ref) await deps.blobs.delete(old.photo_ref).catch(() => {});
  return { candidateId, accepted: true, reason: null, faceScore: verdict.face.score };
}

const MAX_FILES = 10_000;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * Imports a session's photos from a .zip. Every file is judged and stored on its own: a refused file is listed
 * with its reason and does not undo the accepted ones (fix the refused photos and import them again).
 */
export async function importPhotoZip(ctx: Ctx, deps: FaceDeps, actor: string, sessionId: string, zipBytes: Buffer): Promise<FaceImportReport> {
  const session = await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes);
  } catch {
    throw new AppError('FACE_ZIP_UNREADABLE');
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir && !f.name.startsWith('__MACOSX/') && !path.posix.basename(f.name).startsWith('.'));
  if (entries.length > MAX_FILES) throw new AppError('VALIDATION_FAILED', { detail: `more than ${MAX_FILES} files` });
  const candidates = await ctx.db.selectFrom('candidates').select(['id', 'id_number']).where('session_id', '=', sessionId).execute();
  const byIdNumber = new Map(candidates.map((c) => [c.id_number, c.id]));
  const rows: FaceImportReport['rows'] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = entry.name;
    const base = path.posix.basename(file);
    const ext = path.posix.extname(base).toLowerCase();
    const idNumber = normalizeIdNumber(base.slice(0, base.length - ext.length));
    const candidateId = byIdNumber.get(idNumber) ?? null;
    const refuse = (reason: FaceRefusal) => rows.push({ file, idNumber, candidateId, accepted: false, reason });
    if (!['.jpg', '.jpeg', '.png'].includes(ext)) {
      refuse('not-an-image');
      continue;
    }
    if (!candidateId) {
      refuse('unknown-candidate');
      continue;
    }
    // Sequential on purpose: the engine's queue is shared with live logins, which must not wait behind an import.
    const bytes = await entry.async('nodebuffer');
    if (bytes.length > MAX_IMAGE_BYTES) {
      refuse('unreadable');
      continue;
    }
    const r = await registerPhoto(ctx, deps, actor, candidateId, bytes);
    rows.push({ file, idNumber, candidateId, accepted: r.accepted, reason: r.reason });
  }
  const accepted = rows.filter((r) => r.accepted).length;
  await withAudit(
    ctx.db,
    async () => ({ result: null, audit: { actor, action: 'face.import', target: `session:${sessionId}`, data: { accepted, refused: rows.length - accepted } } }),
    ctx.clock.now(),
  );
  return { accepted, refused: rows.length - accepted, rows };
}

/** A staff member opens a registered photo: allowed, but never unrecorded. */
export async function readRegisteredPhoto(ctx: Ctx, deps: FaceDeps, actor: string, candidateId: string): Promise<{ body: Readable; contentType: string }> {
  const reg = await ctx.db.selectFrom('face_registrations').select('photo_ref').where('candidate_id', '=', candidateId).executeTakeFirst();
  if (!reg) throw notFound();
  await withAudit(ctx.db, async () => ({ result: null, audit: { actor, action: 'face.read-photo', target: `candidate:${candidateId}` } }), ctx.clock.now());
  return { body: await deps.blobs.get(reg.photo_ref), contentType: reg.photo_ref.endsWith('.png') ? 'image/png' : 'image/jpeg' };
}
