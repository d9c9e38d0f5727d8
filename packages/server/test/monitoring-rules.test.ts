// The pure rules of live monitoring (severity, phase, review order) and the ICE server setting.
import { describe, expect, it } from 'vitest';
import { phaseOf, reviewPriority, severityOf, wantsEvidence, type MonitorTile } from '@invigil/contracts';
import { monitoringSettingsFromEnv } from '../src/services/monitoring/index.ts';

describe('severity', () => {
  it.each([
    ['second-login', 'high'],
    ['identity-mismatch', 'high'],
    ['page-hidden', 'medium'],
    ['proof-gap', 'medium'],
    ['key-copy', 'low'],
    ['page-visible', 'info'],
    ['connection-restored', 'info'],
    ['some-new-detector', 'low'],
  ])('%s is %s', (type, severity) => expect(severityOf(type)).toBe(severity));
  it('keeps a frame only for medium and high flags', () => {
    expect([wantsEvidence('second-monitor'), wantsEvidence('window-blur'), wantsEvidence('key-paste'), wantsEvidence('window-focus')]).toEqual([true, true, false, false]);
  });
});

describe('phase', () => {
  it.each([
    ['not-started', 'absent'],
    ['logged-in', 'logged-in'],
    ['entered', 'waiting'],
    ['waiting', 'waiting'],
    ['answering', 'answering'],
    ['ended', 'ended'],
  ])('%s shows as %s', (status, phase) => expect(phaseOf(status)).toBe(phase));
});

describe('review priority', () => {
  const tile = (o: Partial<MonitorTile>): Pick<MonitorTile, 'phase' | 'flags' | 'helpUnanswered' | 'priority'> => ({
    phase: 'answering',
    flags: { total: 0, open: 0, worst: null, lastAt: null },
    helpUnanswered: false,
    priority: 0,
    ...o,
  });
  const live = { online: true, backlogBytes: 0 };
  const order = (tiles: Array<[string, number]>) => tiles.sort((a, b) => b[1] - a[1]).map((x) => x[0]);

  it('puts an open high flag first, then offline, help, medium flags, calm candidates, and ended last', () => {
    expect(
      order([
        ['ended', reviewPriority(tile({ phase: 'ended', flags: { total: 3, open: 3, worst: 'high', lastAt: 1 } }), live)],
        ['calm', reviewPriority(tile({}), live)],
        ['medium', reviewPriority(tile({ flags: { total: 1, open: 1, worst: 'medium', lastAt: 1 } }), live)],
        ['help', reviewPriority(tile({ helpUnanswered: true }), live)],
        ['offline', reviewPriority(tile({}), { online: false, backlogBytes: 0 })],
        ['high', reviewPriority(tile({ flags: { total: 1, open: 1, worst: 'high', lastAt: 1 } }), live)],
      ]),
    ).toEqual(['high', 'medium', 'offline', 'help', 'calm', 'ended']);
  });
  it('orders two flagged candidates by their stored review priority (issue #19), not only the worst severity', () => {
    const open = { total: 3, open: 3, worst: 'medium' as const, lastAt: 1 };
    expect(
      order([
        ['one glance', reviewPriority(tile({ flags: { total: 1, open: 1, worst: 'high', lastAt: 1 }, priority: 39 }), live)],
        ['long absences', reviewPriority(tile({ flags: open, priority: 70 }), live)],
        ['short absence', reviewPriority(tile({ flags: { ...open, total: 1, open: 1 }, priority: 18 }), live)],
        ['ended, high', reviewPriority(tile({ phase: 'ended', flags: open, priority: 100 }), live)],
      ]),
    ).toEqual(['long absences', 'one glance', 'short absence', 'ended, high']);
  });
  it('does not raise a candidate whose flags were all reviewed', () => {
    expect(reviewPriority(tile({ flags: { total: 4, open: 0, worst: null, lastAt: 1 } }), live)).toBe(reviewPriority(tile({}), live));
  });
  it('counts an offline candidate only while in the exam', () => {
    expect(reviewPriority(tile({ phase: 'logged-in' }), { online: false, backlogBytes: 0 })).toBeLessThan(reviewPriority(tile({}), live));
  });
});

describe('ICE_SERVERS', () => {
  it('defaults to none (host candidates, enough on a LAN)', () => expect(monitoringSettingsFromEnv({}).iceServers).toEqual([]));
  it('reads STUN and TURN servers', () => {
    const ice = [{ urls: 'stun:stun.example.org:3478' }, { urls: ['turn:turn.example.org:3478?transport=udp'], username: 'u', credential: 'p' }];
    expect(monitoringSettingsFromEnv({ ICE_SERVERS: JSON.stringify(ice) }).iceServers).toEqual(ice);
  });
  it('names the variable when it is wrong', () => {
    expect(() => monitoringSettingsFromEnv({ ICE_SERVERS: '{nope' })).toThrow(/ICE_SERVERS is not valid JSON/);
    expect(() => monitoringSettingsFromEnv({ ICE_SERVERS: '[{"urls":"http://x"}]' })).toThrow(/ICE_SERVERS: 0.urls/);
  });
});
