// The proctor's side of a live view (apps/proctor/live-viewer.ts) over a fake socket and peer connection: when the
// console's socket drops, the server has ended the view on the device, so the view must end here too (and say
// why) instead of keeping a frozen picture that still looks live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveView, SOCKET_LOST } from '../src/monitoring/live-viewer.ts';
import type { StaffSocket } from '../src/api/staff-socket.ts';

type Handler = (...args: unknown[]) => void;

class FakeSocket {
  readonly sent: Array<[string, unknown]> = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  private answer: (ack: unknown) => void = () => undefined;

  on(event: string, h: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(h);
    return this;
  }
  off(event: string, h: Handler) {
    this.handlers.get(event)?.delete(h);
    return this;
  }
  emit(event: string, payload: unknown) {
    this.sent.push([event, payload]);
    return this;
  }
  timeout() {
    return { emitWithAck: (event: string, payload: unknown) => (this.sent.push([event, payload]), new Promise((resolve) => (this.answer = resolve))) };
  }
  /** The server's answer to live:open. */
  ack(reply: unknown) {
    this.answer(reply);
  }
  fire(event: string, ...args: unknown[]) {
    for (const h of [...(this.handlers.get(event) ?? [])]) h(...args);
  }
  listeners(event: string) {
    return this.handlers.get(event)?.size ?? 0;
  }
}

const pcs: FakePeerConnection[] = [];
class FakePeerConnection {
  connectionState = 'new';
  closed = false;
  ontrack: unknown = null;
  onicecandidate: unknown = null;
  onconnectionstatechange: unknown = null;
  constructor() {
    pcs.push(this);
  }
  close() {
    this.closed = true;
  }
}

const g = globalThis as unknown as { RTCPeerConnection?: unknown };
const native = g.RTCPeerConnection;
beforeAll(() => void (g.RTCPeerConnection = FakePeerConnection));
afterAll(() => void (g.RTCPeerConnection = native));

function view() {
  const socket = new FakeSocket();
  const states: string[] = [];
  const opened = openLiveView(socket as unknown as StaffSocket, 'attempt-1', 'desktop', {
    onStream: () => undefined,
    onState: (s, reason) => states.push(reason ? `${s}:${reason}` : s),
  });
  return { socket, states, opened };
}

describe('openLiveView', () => {
  it('ends the view when the console socket drops, without keeping its peer connection or listeners', async () => {
    const { socket, states, opened } = view();
    socket.ack({ ok: true, viewId: 'v1', iceServers: [] });
    await opened;
    const pc = pcs.at(-1)!;
    expect(states).toEqual(['connecting']);

    socket.fire('disconnect', 'ping timeout');
    expect(states).toEqual(['connecting', `closed:${SOCKET_LOST}`]);
    expect(pc.closed).toBe(true);
    // The server already told the device; the new socket has no such view to close.
    expect(socket.sent.map(([e]) => e)).toEqual(['live:open']);
    expect([socket.listeners('live:signal'), socket.listeners('live:closed'), socket.listeners('disconnect')]).toEqual([0, 0, 0]);
  });

  it('opens nothing when the socket drops while the server is being asked', async () => {
    const { socket, states, opened } = view();
    const before = pcs.length;
    socket.fire('disconnect', 'transport close');
    socket.ack({ ok: true, viewId: 'v2', iceServers: [] });
    await opened;
    expect(pcs.length).toBe(before);
    expect(states).toEqual(['connecting', `closed:${SOCKET_LOST}`]);
  });

  it('still ends a view the device closed, with the device’s reason', async () => {
    const { socket, states, opened } = view();
    socket.ack({ ok: true, viewId: 'v3', iceServers: [] });
    await opened;
    socket.fire('live:closed', { viewId: 'other', reason: 'device-left' });
    socket.fire('live:closed', { viewId: 'v3', reason: 'device-left' });
    expect(states).toEqual(['connecting', 'closed:device-left']);
    expect(pcs.at(-1)!.closed).toBe(true);
  });
});
