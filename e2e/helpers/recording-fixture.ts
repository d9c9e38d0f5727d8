// Setup and the final check shared by the recording specs: a fresh web build when the sources are newer than
// dist/, one real server with a demo exam (one candidate per test), an admin API client, and stopAndVerify().
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { CompletenessReport, SessionRecordings } from '../../packages/contracts/src/recordings.ts';
import { TestServer, type Demo } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { describe, expectVerified, getRecording, staffApi, type Verified } from './recording-checks.ts';
import { allVerified, journalSeqs, stopRecording, waitForProgress } from './recording-harness.ts';

export interface RecordingEnv {
  server: TestServer;
  demo: Demo;
  admin: APIRequestContext;
}

export async function startRecordingEnv(candidates: number): Promise<RecordingEnv> {
  ensureWebBuild();
  const server = await TestServer.start();
  // Starts in 2 minutes and lasts an hour: login is open and the attempt exists for the whole spec.
  const demo = server.seedDemo({ startsIn: 120, duration: 3600, candidates, face: false, proof: false });
  return { server, demo, admin: await staffApi(server.baseUrl, demo.admin) };
}

export interface FinishExpectation {
  /** The time the browser recorded, from the test's own clock, given when stop() was called and the report. */
  browserSeconds(stoppedAt: number, report: CompletenessReport): number;
  runs: number;
  /** Bounds (seconds) for each gap between runs, measured by the test around the interruption. */
  gapWithin?: [number, number];
}

/**
 * Stops, waits for 上传成功 (every stream verified by the server), checks each recording as staff see it, and
 * that the journal was released. Returns one measured line per stream for the log, when stop() was called (browser
 * epoch ms) and what was verified per stream.
 */
export async function stopAndVerify(page: Page, env: RecordingEnv, attemptId: string, x: FinishExpectation): Promise<{ lines: string[]; stoppedAt: number; verified: Record<string, Verified> }> {
  const stoppedAt = await stopRecording(page);
  const done = await waitForProgress(page, 'every stream verified', allVerified, { timeoutMs: 90_000 });
  expect(done.streams.map((s) => s.stream)).toEqual(['camera', 'screen']);
  const lines: string[] = [];
  const verified: Record<string, Verified> = {};
  for (const s of done.streams) {
    const rec = await getRecording(env.admin, s.recordingId!);
    const seconds = x.browserSeconds(stoppedAt, rec.report!);
    const v = await expectVerified(env.admin, s.stream, s.recordingId!, { browserSeconds: seconds, runs: x.runs, audio: s.stream === 'camera' });
    if (!x.gapWithin) expect(v.report.gapSeconds, 'no gap at all').toBe(0);
    for (const g of x.gapWithin ? v.report.gaps : []) {
      expect(g.seconds, `${s.stream} gap ≥ ${x.gapWithin![0]} s`).toBeGreaterThanOrEqual(x.gapWithin![0]);
      expect(g.seconds, `${s.stream} gap ≤ ${x.gapWithin![1]} s`).toBeLessThanOrEqual(x.gapWithin![1]);
    }
    lines.push(describe(s.stream, v, seconds));
    verified[s.stream] = v;
  }
  // Staff see the same: an interrupted recording is 'partial' with its gaps counted, never glued over.
  const staff = await env.admin.get(`/api/sessions/${env.demo.sessionId}/recordings`);
  const rows = ((await staff.json()) as SessionRecordings).rows.filter((r) => r.attemptId === attemptId);
  for (const r of rows) {
    expect(r.status, `${r.stream} in the staff view`).toBe(x.runs > 1 ? 'partial' : 'complete');
    expect(r.missingSeqs).toEqual([]);
    expect(r.gaps).toBe(x.runs - 1);
  }
  // Released only now that the server has verified everything.
  expect(await journalSeqs(page, attemptId)).toEqual({});
  return { lines, stoppedAt, verified };
}
