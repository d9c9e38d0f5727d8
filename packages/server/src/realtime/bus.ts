// The realtime port: services publish to attempts, rooms and sessions without knowing about sockets.
// The socket.io adapter (socket.ts) implements it; with REDIS_URL it fans out across server processes.
import type { ServerToClient } from '@invigil/contracts';

export type Target = { attempt: string } | { room: string } | { session: string };

export interface RealtimeBus {
  emit<E extends keyof ServerToClient>(to: Target | Target[], event: E, ...args: Parameters<ServerToClient[E]>): void;
}

export const channel = (t: Target) => ('attempt' in t ? `attempt:${t.attempt}` : 'room' in t ? `room:${t.room}` : `session:${t.session}`);

/** Records what was emitted; for unit tests of services. */
export class MemoryBus implements RealtimeBus {
  readonly sent: Array<{ to: string[]; event: string; payload: unknown }> = [];
  emit<E extends keyof ServerToClient>(to: Target | Target[], event: E, ...args: Parameters<ServerToClient[E]>) {
    this.sent.push({ to: [to].flat().map(channel), event, payload: args[0] });
  }
}
