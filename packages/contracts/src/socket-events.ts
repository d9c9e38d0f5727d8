// Every event a client may send over socket.io: its payload schema and who may send it. The server refuses any
// event not listed here, from anyone not listed, or with a payload that does not parse — before a handler runs
// (packages/server/src/realtime/inbound.ts). The security tier fuzzes every entry for every principal kind.
import { z } from 'zod';
import { Id } from './common.ts';

/** Who is on the other end of a socket: a staff role, a candidate's desktop or their bound phone. */
export type SocketSender = 'admin' | 'proctor' | 'examiner' | 'support' | 'candidate' | 'phone';

const LiveDeviceSchema = z.enum(['desktop', 'phone']);
/** Binary payloads arrive as Buffer (a Uint8Array) on the server and as ArrayBuffer/typed arrays in browsers. */
const Binary = z.custom<ArrayBuffer>((x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x), { message: 'binary data expected' });
/** A socket id of the proctor a device answers (socket.io ids are 20 characters). */
const SocketId = z.string().min(1).max(64);
const Count = z.number().finite().nonnegative().max(Number.MAX_SAFE_INTEGER);

const LiveSignalSchema = z.object({
  viewId: Id,
  to: SocketId.optional(),
  description: z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().max(100_000) }).optional(),
  candidate: z
    .object({ candidate: z.string().max(2000), sdpMid: z.string().max(64).nullable().optional(), sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional() })
    .nullable()
    .optional(),
  streams: z.record(z.string().max(100), z.enum(['camera', 'screen', 'phone'])).optional(),
});

const DEVICES: SocketSender[] = ['candidate', 'phone'];
const WATCHERS: SocketSender[] = ['admin', 'proctor', 'support'];
const EVERYONE: SocketSender[] = ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'];

export const inboundSocketEvents = {
  'time:ping': { from: EVERYONE, payload: z.object({ t0: z.number().finite() }), ack: false },
  'staff:watch': { from: WATCHERS, payload: z.object({ sessionId: Id }), ack: true },
  'monitor:thumb': { from: ['candidate'], payload: z.object({ at: z.number().finite().optional(), jpeg: Binary }), ack: false },
  'monitor:status': { from: ['candidate'], payload: z.object({ backlogBytes: Count, backlogSegments: Count, camera: z.boolean(), screen: z.boolean() }), ack: false },
  'monitor:refresh': { from: WATCHERS, payload: z.object({ sessionId: Id }), ack: false },
  'live:open': { from: WATCHERS, payload: z.object({ attemptId: Id, device: LiveDeviceSchema }), ack: true },
  'live:signal': { from: [...WATCHERS, ...DEVICES], payload: LiveSignalSchema, ack: false },
  'live:close': { from: [...WATCHERS, ...DEVICES], payload: z.object({ viewId: Id, to: SocketId.optional(), reason: z.string().max(40).optional() }), ack: false },
} as const satisfies Record<string, { from: readonly SocketSender[]; payload: z.ZodType; ack: boolean }>;

export type InboundSocketEvent = keyof typeof inboundSocketEvents;

/** What a refused event's acknowledgement carries: a registry code a client can act on. */
export interface SocketRefusal {
  ok: false;
  error: 'VALIDATION_FAILED' | 'FORBIDDEN' | 'UNKNOWN_EVENT' | 'RATE_LIMITED' | 'INTERNAL';
}

/**
 * Events the server pushes only to part of the staff, and who may receive each: the server emits them only to a
 * channel these roles alone join (`session:<id>` is joined by admin and support; a proctor's `staff:watch` joins
 * their rooms only — services/access.ts `watchTargets`). The realtime tests check a proctor never receives them.
 */
export const restrictedPushEvents = {
  'dashboard:changed': { to: ['admin', 'support'], channel: 'session' },
} as const satisfies Record<string, { to: readonly SocketSender[]; channel: 'session' }>;
