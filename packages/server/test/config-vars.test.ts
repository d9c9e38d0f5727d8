// One config schema for every variable: the README's configuration table names exactly the variables config.ts
// reads, and a bad value of a feature's variable stops the start with that variable named.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../src/config.ts';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## The apps'));
const documented = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((x) => x[1]!));

describe('configuration', () => {
  it('documents every variable it reads, and reads every variable it documents', () => {
    expect([...new Set(documented)].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it.each([
    ['FACE_THRESHOLD', '2'],
    ['PROOF_STALE_SEC', '1'],
    ['ICE_SERVERS', '[{"urls":"http://x"}]'],
    ['MONITOR_THUMB_MAX_KB', '1'],
    ['HEARTBEAT_TIMEOUT_SEC', 'soon'],
    ['FACE_WORKERS', '0'],
  ])('refuses a bad %s at start, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('carries the feature settings in the one config', () => {
    const c = loadConfig({ FACE_THRESHOLD: '0.7', PROOF_UPLOAD_DEADLINE_SEC: '120', ICE_SERVERS: '[{"urls":"stun:s:3478"}]', FACE_WASM_DIR: '/w', FACE_WORKERS: '3' });
    expect(c.face.threshold).toBe(0.7);
    expect(c.proof.uploadDeadlineSec).toBe(120);
    expect(c.monitoring.iceServers).toEqual([{ urls: 'stun:s:3478' }]);
    expect(c.faceWasmDir).toBe('/w');
    expect(c.faceWorkers).toBe(3);
  });
});
