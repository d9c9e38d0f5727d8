// The candidate journey API (contract: packages/contracts/src/candidate.ts), typed, plus this tab's client id.
import { routes, type AttemptState, type DeviceCheck } from '@invigil/contracts';
import type { z } from 'zod';
import type { BodyOf, DocumentView, Heartbeat, QuestionView } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { noteServerTime } from './clock.ts';

export type Question = z.infer<typeof QuestionView>;
export type Document = z.infer<typeof DocumentView>;

const CLIENT_KEY = 'invigil.clientId';

/** Random per-tab id kept in sessionStorage: a reload is the same client, another browser is a second login. */
export function clientId(): string {
  let id = sessionStorage.getItem(CLIENT_KEY);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(CLIENT_KEY, id);
  }
  return id;
}

export const login = (idNumber: string, ticket: string) => call(routes.candidateLogin, { body: { idNumber, ticket, clientId: clientId() } });
export const logout = () => call(routes.logout);

/** GET /api/attempt, feeding the server clock from `timeline.now` (midpoint of the request). */
export async function fetchAttempt(): Promise<AttemptState> {
  const t0 = Date.now();
  const s = await call(routes.myAttempt);
  noteServerTime(s.timeline.now, t0, Date.now());
  return s;
}

export async function heartbeat(): Promise<z.infer<typeof Heartbeat>> {
  const t0 = Date.now();
  const h = await call(routes.heartbeat);
  noteServerTime(h.now, t0, Date.now());
  return h;
}

export const saveDeviceCheck = (c: DeviceCheck) => call(routes.deviceCheck, { body: c });
export const fetchDocument = (id: string) => call(routes.myDocument, { params: { id } });
export const markRead = (id: string) => call(routes.markDocumentRead, { params: { id } });
export const enter = (b: BodyOf<typeof routes.enter>) => call(routes.enter, { body: b });
export const ready = () => call(routes.ready);
export const fetchQuestion = () => call(routes.myQuestion);
export const endAttempt = () => call(routes.endMyAttempt);
export const fetchHelp = () => call(routes.myHelp);
export const sendHelp = (body: string) => call(routes.sendMyHelp, { body: { body } });
