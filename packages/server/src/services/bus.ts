// The Bus port: services publish to attempts, rooms and sessions without knowing about sockets.
// The socket.io adapter implements it (with REDIS_URL it fans out across server processes);
// main.ts and the tests choose the implementation and pass it down.
import type { ServerToClient } from '@invigil/contracts';

export type Target = { attempt: string } | { room: string } | { session: string };

export interface Bus {
  emit<E extends keyof ServerToClient>(to: Target | Target[], event: E, ...args: Parameters<ServerToClient[E]>): void;
}

/** The name of a target's channel; the socket adapter joins sockets to these. */
export const channel = (t: Target) => ('attempt' in t ? `attempt:${t.attempt}` : 'room' in t ? `room:${t.room}` : `session:${t.session}`);

/** Records what was emitted; for unit tests of services. */
export class MemoryBus implements Bus {
  readonly sent: Array<{ to: string[]; event: string; payload: unknown }> = [];
  emit<E extends keyof ServerToClient>(to: Target | Target[], event: E, ...args: Parameters<ServerToClient[E]>) {
    this.sent.push({ to: [to].flat().map(channel), event, payload: args[0] });
  }
}
