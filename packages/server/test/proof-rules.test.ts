// Pure rules of the proof camera, table by table at the edge times.
import { describe, expect, it } from 'vitest';
import { connectionOf, stageMayMove, uploadDeadline } from '../src/services/proof/rules.ts';
import { bindCodeHash, newBindCode, phoneBaseUrl } from '../src/services/proof/codes.ts';

const T = 1_000_000;

describe('connectionOf', () => {
  const phone = (o: Partial<{ stage: 'bound' | 'recording' | 'stopped'; lastSeenAt: number; recording: boolean }> = {}) => ({ stage: 'recording' as const, lastSeenAt: T, recording: true, ...o });
  it.each([
    ['no phone', null, T, 'unbound'],
    ['heard just now, recording', phone(), T, 'recording'],
    ['exactly the stale limit', phone(), T + 15_000, 'recording'],
    ['one ms past the stale limit', phone(), T + 15_001, 'disconnected'],
    ['bound, not recording yet', phone({ stage: 'bound', recording: false }), T + 1000, 'connected'],
    ['stopped by hand, silent for long', phone({ stage: 'stopped', recording: false }), T + 600_000, 'stopped'],
  ] as const)('%s → %s', (_n, p, now, want) => expect(connectionOf(p, now, 15_000)).toBe(want));
});

describe('uploadDeadline', () => {
  const end = T;
  const base = { examEndAt: end, deadlineSec: 3600, started: true, entered: true, recording: null };
  it.each([
    ['before the end, phone recording', { ...base, now: end - 1 }, 'recording'],
    ['before the end, no phone ever', { ...base, now: end - 1, started: false }, 'not-started'],
    ['at the end', { ...base, now: end }, 'uploading'],
    ['at the deadline exactly', { ...base, now: end + 3_600_000 }, 'uploading'],
    ['one ms after the deadline', { ...base, now: end + 3_600_001 }, 'overdue'],
    ['after the deadline, entered but never bound a phone', { ...base, now: end + 4_000_000, started: false }, 'overdue'],
    ['absent candidate, no phone', { ...base, now: end + 4_000_000, started: false, entered: false }, 'not-started'],
    ['verified in time', { ...base, now: end + 9_000_000, recording: { status: 'complete', finalizedAt: end + 60_000 } }, 'complete'],
    ['still uploading segments', { ...base, now: end + 1000, recording: { status: 'uploading', finalizedAt: null } }, 'uploading'],
  ] as const)('%s → %s', (_n, facts, want) => expect(uploadDeadline(facts).state).toBe(want));

  it('a video verified after the deadline is complete but late', () => {
    const d = uploadDeadline({ ...base, now: end + 9_000_000, recording: { status: 'complete', finalizedAt: end + 3_700_000 } });
    expect(d).toEqual({ state: 'complete', deadlineAt: end + 3_600_000, completedAt: end + 3_700_000, late: true });
  });
});

describe('stages and codes', () => {
  it('the phone flow only moves forward; stopped is final', () => {
    expect(stageMayMove('bound', 'consented')).toBe(true);
    expect(stageMayMove('scanning', 'scanning')).toBe(true);
    expect(stageMayMove('recording', 'scanning')).toBe(false);
    expect(stageMayMove('stopped', 'stopped')).toBe(false);
  });

  it('codes use only unambiguous characters, and typing is forgiving about case, spaces and dashes', () => {
    for (let i = 0; i < 200; i++) expect(newBindCode()).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(bindCodeHash('abcd-efgh')).toBe(bindCodeHash(' ABCD EFGH '));
    expect(bindCodeHash('ABCD-EFG0')).toBeNull(); // 0 is not in the alphabet
    expect(bindCodeHash('ABC')).toBeNull();
  });

  it('the QR URL is one the phone can open in a secure context', () => {
    const req = { publicUrl: null, https: 'off' as const, httpsPort: 8443, requestProtocol: 'http', requestHost: '192.168.1.20:8080', lanAddresses: ['192.168.1.20'] };
    expect(phoneBaseUrl(req)).toEqual({ base: 'http://192.168.1.20:8080', selfSigned: false });
    expect(phoneBaseUrl({ ...req, https: 'selfsigned' })).toEqual({ base: 'https://192.168.1.20:8443', selfSigned: true });
    // The desktop on this very computer (localhost): the phone needs the LAN address instead.
    expect(phoneBaseUrl({ ...req, https: 'selfsigned', requestHost: 'localhost:8080' }).base).toBe('https://192.168.1.20:8443');
    // Behind a TLS reverse proxy, its public address wins.
    expect(phoneBaseUrl({ ...req, https: 'selfsigned', publicUrl: 'https://exam.example.org' })).toEqual({ base: 'https://exam.example.org', selfSigned: false });
  });
});
