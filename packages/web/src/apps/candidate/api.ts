// The candidate journey API (contract: packages/contracts/src/candidate.ts), typed, plus this tab's client id.
import type { AttemptState, DeviceCheck, HelpMessage, Me } from '@invigil/contracts';
import type { z } from 'zod';
import type { DocumentView, EnterBody, Heartbeat, QuestionView } from '@invigil/contracts';
import { get, post } from '../../api/client.ts';
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

export const login = (idNumber: string, ticket: string) => post<Me>('/api/auth/candidate-login', { idNumber, ticket, clientId: clientId() });
export const logout = () => post('/api/auth/logout');

/** GET /api/attempt, feeding the server clock from `timeline.now` (midpoint of the request). */
export async function fetchAttempt(): Promise<AttemptState> {
  const t0 = Date.now();
  const s = await get<AttemptState>('/api/attempt');
  noteServerTime(s.timeline.now, t0, Date.now());
  return s;
}

export async function heartbeat(): Promise<z.infer<typeof Heartbeat>> {
  const t0 = Date.now();
  const h = await post<z.infer<typeof Heartbeat>>('/api/attempt/heartbeat');
  noteServerTime(h.now, t0, Date.now());
  return h;
}

export const saveDeviceCheck = (c: DeviceCheck) => post('/api/attempt/device-check', c);
export const fetchDocument = (id: string) => get<Document>(`/api/attempt/documents/${encodeURIComponent(id)}`);
export const markRead = (id: string) => post<AttemptState>(`/api/attempt/documents/${encodeURIComponent(id)}/read`);
export const enter = (b: z.infer<typeof EnterBody>) => post<AttemptState>('/api/attempt/enter', b);
export const ready = () => post<AttemptState>('/api/attempt/ready');
export const fetchQuestion = () => get<Question>('/api/attempt/question');
export const endAttempt = () => post<AttemptState>('/api/attempt/end');
export const fetchHelp = () => get<HelpMessage[]>('/api/attempt/help');
export const sendHelp = (body: string) => post<HelpMessage>('/api/attempt/help', { body });
