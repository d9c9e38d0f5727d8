// The process-level guard and the per-handler guard (issue #13): an error escaping a socket handler is answered on
// its ack and logged; anything else that escapes is logged by the process guard and the server keeps serving.
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProcessGuard } from '../../src/process-guard.ts';
import { monitoringSocketHandler } from '../../src/realtime/monitoring.ts';
import { defaultMonitoringSettings } from '../../src/services/monitoring/index.ts';
import type { SocketHandler } from '../../src/realtime/socket.ts';
import { emitAck, world, type World } from './world.ts';

describe('process guard', () => {
  it('logs unhandled rejections and uncaught exceptions instead of letting them end the process', () => {
    const proc = new EventEmitter() as unknown as NodeJS.Process;
    const logged: string[] = [];
    const remove = installProcessGuard({ error: (_o, msg) => logged.push(msg) }, proc);
    proc.emit('unhandledRejection', new Error('boom'), Promise.resolve());
    proc.emit('uncaughtException', new Error('bang'));
    expect(logged).toEqual(['unhandled promise rejection (kept serving)', 'uncaught exception (kept serving)']);
    remove();
    expect((proc as unknown as EventEmitter).listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('a failing socket handler answers its ack with INTERNAL and the server keeps serving', () => {
  let w: World;
  // A feature whose handler fails the way the old staff:watch did (a rejection from the database layer).
  const failing: SocketHandler = (socket) => {
    socket.on('live:open', async () => {
      throw new Error('database said no');
    });
  };
  beforeAll(async () => {
    w = await world({ deps: { socketHandlers: [failing, monitoringSocketHandler(defaultMonitoringSettings())] } });
  });
  afterAll(() => w?.close());

  it('answers INTERNAL, never an unhandled rejection', async () => {
    const s = await w.socket('admin');
    const replies = await emitAck(s, 'live:open', [{ attemptId: w.attemptId, device: 'desktop' }]);
    expect(replies).toEqual({ ok: false, error: 'INTERNAL' });
    expect(await w.health()).toBe(200);
  });
});
