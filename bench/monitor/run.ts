// bench/monitor — accuracy of the in-exam monitor (issue #19). Clips built at run time (clips.ts) go frame by
// frame through the worker's own analysis (human-node.ts → packages/web/src/face-monitor/analysis.ts, Human with
// the worker's config) at the worker's sampling rate, and the samples through the contract's `monitorEpisodes`
// with the default rules (or --rules file.json). Reports per condition: recall, time to flag (median, p95),
// what else each scene raised, and false events per clean 25 minutes.
//
//   node --import tsx bench/monitor/run.ts                      # full: 25 clean minutes, 5 faces × 6 scenes × 2
//   node --import tsx bench/monitor/run.ts --clean-min 1 --reps 1 --faces 2   # small, to prove it runs
//   node --import tsx bench/monitor/run.ts --clean-min 0 --faces 13 --reps 1 --scenes other-person   # one scene
//
// --set picks the faces. tune: the candidate's five TESTING.md photos (man1..man5), other people from face-api's
// sample1–3 and woman1 — the faces the defaults were chosen on (calibrate.ts). holdout: thirteen other photos of
// the candidate (the rest of his row in screenshot-facematch.jpg) and other people from sample4–6 — never used to
// choose a threshold; the figures to report.
//
// --reference: session (default, the app's way) — the reference is built from each clip's first clear frames and
// checked coarsely against the registration photo (man0), which stays the reference if they do not resemble it;
// camera — the first frames only; login — the registration photo from the first frame (the monitor before 7 Dec).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MONITOR_RULES, MonitorRules, monitorEpisodes, type MonitorCondition, type MonitorEpisode, type MonitorSample } from '@invigil/contracts';
import { MAN, type FaceName } from '../../e2e/fixtures/faces.ts';
import { IdentityPlan, ReferenceBuilder, confirmBelow } from '../../packages/web/src/face-monitor/analysis.ts';
import { faceCrop, frame, holdoutCandidates, otherFaces, registrationPhoto, room, type Face, type Scene } from '../../e2e/fixtures/monitor-scenes.ts';
import { loadNodeMonitor } from './human-node.ts';

const { values: a } = parseArgs({
  options: {
    'clean-min': { type: 'string', default: '25' },
    reps: { type: 'string', default: '2' },
    faces: { type: 'string', default: '5' },
    hz: { type: 'string', default: '1' },
    lead: { type: 'string', default: '15' },
    hold: { type: 'string', default: '10' },
    reference: { type: 'string', default: 'session' },
    scenes: { type: 'string' },
    set: { type: 'string', default: 'holdout' },
    rules: { type: 'string' },
    out: { type: 'string' },
  },
});
const hz = Number(a.hz);
const stepMs = 1000 / hz;
const rules: MonitorRules = a.rules ? MonitorRules.parse(JSON.parse(fs.readFileSync(a.rules, 'utf8'))) : DEFAULT_MONITOR_RULES;
const EVENT_SCENES: Array<{ scene: Exclude<Scene, 'alone'>; condition: MonitorCondition }> = [
  { scene: 'absent', condition: 'face-absent' },
  { scene: 'second-face', condition: 'several-faces' },
  { scene: 'other-person', condition: 'identity-mismatch' },
  { scene: 'half-covered', condition: 'face-covered' },
  { scene: 'camera-covered', condition: 'camera-covered' },
];

const m = await loadNodeMonitor();
const loginRef = await m.descriptor(await registrationPhoto());
if (!loginRef) throw new Error('no face in the registration photo');
const holdout = a.set === 'holdout';
if (!['tune', 'holdout'].includes(a.set!)) throw new Error('--set tune|holdout');
if (!['session', 'camera', 'login'].includes(a.reference!)) throw new Error('--reference session|camera|login');
const candidates: Face[] = [];
if (holdout) candidates.push(...(await holdoutCandidates()).slice(0, Number(a.faces)));
else for (const n of MAN.slice(1, 1 + Number(a.faces)) as FaceName[]) candidates.push(await faceCrop(n));
// Other people from face-api's group photos, found by the same detector (boxes in the 1024-wide image).
const others = await otherFaces(
  async (jpeg) => {
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t = m.human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32');
    try {
      const r = await m.human.detect(t as never);
      return r.face.map((f) => f.box as [number, number, number, number]);
    } finally {
      m.human.tf.dispose(t);
    }
  },
  24,
  holdout ? { photos: [4, 5, 6], women: [] } : { photos: [1, 2, 3], women: ['woman1'] },
);
console.error(`faces: ${candidates.length} photos of the candidate, ${others.length} other people; backend ${m.backend}; ${hz} Hz`);

interface ClipResult {
  scene: Scene;
  candidate: string;
  other: string;
  /** Condition window [from, to) in ms, null for a clean clip. */
  window: [number, number] | null;
  episodes: MonitorEpisode[];
  samples: number;
  /** The identity match of each sample inside the condition window (what a miss looked like). */
  windowMatch?: Array<number | null>;
  windowFaces?: number[];
  reference?: string | null;
  durationMs: number;
  ms: number[];
}

let clipNo = 0;
/** Every clip's reference: how often the exam's first frames failed the coarse check against the registration. */
const references: ReferenceBuilder[] = [];
/** Frames on which the face description ran (IdentityPlan), of all analysed frames. */
let described = 0;
async function runClip(scenes: Array<{ scene: Scene; sec: number }>, candidate: Face, other: Face): Promise<{ samples: MonitorSample[]; ms: number[]; described: number }> {
  const bg = room(++clipNo);
  m.resetMotion();
  const ref = a.reference === 'login' ? new ReferenceBuilder(loginRef, 'registered') : new ReferenceBuilder(a.reference === 'camera' ? null : loginRef);
  references.push(ref);
  const plan = new IdentityPlan({ confirmBelow: confirmBelow(rules) });
  const samples: MonitorSample[] = [];
  const ms: number[] = [];
  let n = 0;
  let t = 0;
  for (const s of scenes)
    for (let i = 0; i < s.sec * hz; i++, t += stepMs) {
      const jpeg = await frame({ scene: s.scene, sec: t / 1000, candidate, other, background: bg, seed: clipNo * 100_003 + samples.length });
      const r = await m.analyse(jpeg, t, ref, plan);
      samples.push(r.sample);
      ms.push(r.ms);
      if (r.parts.full) n++;
    }
  described += n;
  return { samples, ms, described: n };
}

const results: ClipResult[] = [];
const started = Date.now();
// Clean clips: the candidate alone, the minutes split over the candidate's photos.
const cleanSec = Number(a['clean-min']) * 60;
let cleanDescribed = 0;
for (let i = 0; i < candidates.length && cleanSec > 0; i++) {
  const sec = Math.round(cleanSec / candidates.length);
  const { samples, ms, described: d } = await runClip([{ scene: 'alone', sec }], candidates[i]!, others[0]!);
  cleanDescribed += d;
  results.push({ scene: 'alone', candidate: candidates[i]!.name, other: '-', window: null, episodes: monitorEpisodes(samples, rules), samples: samples.length, durationMs: sec * 1000, ms });
  console.error(`clean ${candidates[i]!.name} ${sec}s: ${results.at(-1)!.episodes.length} events`);
}
// Event clips: lead-in alone, the scene for `hold` s, alone again.
const lead = Number(a.lead);
const hold = Number(a.hold);
let otherNo = 0;
for (let rep = 0; rep < Number(a.reps); rep++)
  for (const c of candidates)
    for (const { scene } of EVENT_SCENES) {
      const other = others[otherNo++ % others.length]!;
      if (a.scenes && !a.scenes.split(',').includes(scene)) continue; // the same pairs as a full run
      const { samples, ms } = await runClip(
        [
          { scene: 'alone', sec: lead },
          { scene, sec: hold },
          { scene: 'alone', sec: 10 },
        ],
        c,
        other,
      );
      results.push({
        scene,
        candidate: c.name,
        other: other.name,
        window: [lead * 1000, (lead + hold) * 1000],
        episodes: monitorEpisodes(samples, rules),
        samples: samples.length,
        windowMatch: samples.filter((x) => x.t >= lead * 1000 && x.t < (lead + hold) * 1000).map((x) => x.match),
        windowFaces: samples.filter((x) => x.t >= lead * 1000 && x.t < (lead + hold) * 1000).map((x) => x.faces),
        reference: references.at(-1)!.source,
        durationMs: (lead + hold + 10) * 1000,
        ms,
      });
    }

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : null);
const per: Record<string, unknown> = {};
for (const { scene, condition } of EVENT_SCENES) {
  const clips = results.filter((r) => r.scene === scene);
  const flags: number[] = [];
  const also: Record<string, number> = {};
  let hit = 0;
  const missed: Array<Record<string, unknown>> = [];
  for (const r of clips) {
    const [from, to] = r.window!;
    const e = r.episodes.find((x) => x.condition === condition && x.raisedAt >= from && x.start < to + 1000);
    if (e) {
      hit++;
      flags.push((e.raisedAt - from) / 1000);
    } else missed.push({ candidate: r.candidate, other: r.other, reference: r.reference, windowMatch: r.windowMatch, windowFaces: r.windowFaces });
    for (const x of r.episodes) if (x !== e) also[x.condition] = (also[x.condition] ?? 0) + 1;
  }
  per[condition] = { scene, clips: clips.length, recall: clips.length ? hit / clips.length : null, flagSec: { median: pct(flags, 50), p95: pct(flags, 95) }, alsoRaised: also, missed };
}
const clean = results.filter((r) => r.scene === 'alone');
const cleanMs = clean.reduce((s, r) => s + r.durationMs, 0);
const falseEvents = clean.flatMap((r) => r.episodes.map((e) => ({ clip: r.candidate, condition: e.condition, at: e.start / 1000 })));
// Lead-in and tail of the event clips are clean too: events there (outside the window ±2 s) are false as well.
const falseInEventClips = results
  .filter((r) => r.window)
  .flatMap((r) =>
    r.episodes.filter((e) => e.start >= r.window![1] + 3000 || e.raisedAt < r.window![0]).map((e) => ({ clip: `${r.scene}/${r.candidate}`, condition: e.condition, at: e.start / 1000 })),
  );
const allMs = results.flatMap((r) => r.ms);
const report = {
  when: new Date().toISOString(),
  args: a,
  backend: m.backend,
  rules,
  perCondition: per,
  clean: { minutes: cleanMs / 60_000, falseEvents: falseEvents.length, per25min: cleanMs ? (falseEvents.length * 25 * 60_000) / cleanMs : null, list: falseEvents },
  falseInEventClipLeadIns: falseInEventClips,
  analysisMs: { frames: allMs.length, described, median: pct(allMs, 50), p95: pct(allMs, 95), note: 'Node wasm, one thread: not the browser figure (see cost.ts)' },
  references: {
    session: references.filter((r) => r.source === 'session').length,
    registered: references.filter((r) => r.source === 'registered').length,
    none: references.filter((r) => !r.source).length,
  },
  cleanDescribedShare: clean.length ? cleanDescribed / clean.reduce((s, r) => s + r.samples, 0) : null,
  set: a.set,
  faces: { candidates: candidates.map((c) => c.name), others: others.map((o) => o.name) },
  wallSec: Math.round((Date.now() - started) / 1000),
};
const text = JSON.stringify(report, null, 2);
if (a.out) fs.writeFileSync(a.out, text);
console.log(text);
