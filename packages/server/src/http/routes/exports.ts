// A session's staff exports (考勤, 上传与佐证, 违纪) as .xlsx or CSV: validate, authorize, delegate.
// Attendance and uploads are support's exam-day lists too; flags are the administrator's. Examiners never: these
// files carry names and ID-card numbers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ExportQuery, IdParams, SupportReport } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { ProofSettings } from '../../services/proof/index.ts';
import { sessionReport, type SessionReport } from '../../services/export/session.ts';
import { attachment, CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from '../../services/export/sheet.ts';
import { staff } from '../access.ts';

const NAMES: Record<SessionReport, string> = { attendance: '考勤', uploads: '上传与佐证', flags: '违纪' };

export async function exportRoutes(app: FastifyInstance, ctx: Ctx, deps: { proof: ProofSettings }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const send = async (req: FastifyRequest, sessionId: string, q: z.infer<typeof ExportQuery>, reply: FastifyReply, report: SessionReport) => {
    const sheet = await sessionReport(ctx, { proof: deps.proof }, staff(req), sessionId, report, q.tz);
    reply.header('content-disposition', attachment(`${NAMES[report]}-${sessionId.slice(0, 8)}.${q.format}`));
    if (q.format === 'csv') return reply.type(CSV_TYPE).send(toCsv(sheet));
    return reply.type(XLSX_TYPE).send(await toXlsx([sheet]));
  };

  r.get('/api/sessions/:id/export/flags', { config: { access: ['admin'] }, schema: { params: IdParams, querystring: ExportQuery } }, (req, reply) =>
    send(req, req.params.id, req.query, reply, 'flags'),
  );
  r.get('/api/sessions/:id/export/:report', { config: { access: ['admin', 'support'] }, schema: { params: IdParams.extend({ report: SupportReport }), querystring: ExportQuery } }, (req, reply) =>
    send(req, req.params.id, req.query, reply, req.params.report),
  );
}
