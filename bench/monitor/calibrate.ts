// The distributions the monitor's defaults are chosen from (issue #19), per face set (run.ts --set): at 320×240,
// each through the monitor's full pass, against the registration photo (man0):
// - match of the candidate's own frames, and of other people's;
// - faceSimilarity (32×32 face copies) of the same face one second apart, and of the candidate's face against
//   another person's in the same place (the swap IdentityPlan must notice without a descriptor);
// - occlusion of open and half-covered faces.
//   node --import tsx bench/monitor/calibrate.ts --set tune [--frames 6]
import { parseArgs } from 'node:util';
import { MAN, type FaceName } from '../../e2e/fixtures/faces.ts';
import { faceCrop, frame, holdoutCandidates, otherFaces, registrationPhoto, room, type Face } from '../../e2e/fixtures/monitor-scenes.ts';
import { cosine, faceSimilarity, occlusionOf, mainFace } from '../../packages/web/src/face-monitor/analysis.ts';
import { loadNodeMonitor } from './human-node.ts';

const { values: a } = parseArgs({ options: { set: { type: 'string', default: 'tune' }, frames: { type: 'string', default: '6' }, others: { type: 'string', default: '30' } } });
const holdout = a.set === 'holdout';
const F = Number(a.frames);
const m = await loadNodeMonitor();
const loginRef = (await m.descriptor(await registrationPhoto()))!;
const candidates: Face[] = holdout ? await holdoutCandidates() : await Promise.all((MAN.slice(1) as FaceName[]).map((n) => faceCrop(n)));
const sharp = (await import('sharp')).default;
const others = await otherFaces(
  async (jpeg) => {
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t = m.human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32');
    try {
      return (await m.human.detect(t as never)).face.map((f) => f.box as [number, number, number, number]);
    } finally {
      m.human.tf.dispose(t);
    }
  },
  Number(a.others),
  holdout ? { photos: [4, 5, 6], women: [] } : { photos: [1, 2, 3], women: ['woman1'] },
);
const one = async (f: Face, scene: 'alone' | 'half-covered', sec: number, seed: number, other: Face) => {
  const r = await m.detectAll(await frame({ scene, sec, candidate: f, other, background: room(seed % 7), seed }));
  const main = mainFace(r.faces, 240).main;
  return { faces: mainFace(r.faces, 240).real.length, match: main?.embedding ? cosine(main.embedding, loginRef) : null, gray: r.faceGray, occ: occlusionOf(r.faceGray), ms: r.ms };
};
const own: number[] = [];
const sameSim: number[] = [];
const openOcc: number[] = [];
const coverOcc: number[] = [];
const perCandidate: Record<string, number[]> = {};
const candGray: Array<Uint8Array | null> = [];
let seed = 1;
for (const c of candidates) {
  let prev: Uint8Array | null = null;
  perCandidate[c.name] = [];
  for (let i = 0; i < F; i++) {
    const r = await one(c, 'alone', i * 5, seed++, others[0]!);
    if (r.match !== null) {
      own.push(r.match);
      perCandidate[c.name]!.push(Math.round(r.match * 1000) / 1000);
    }
    if (r.occ !== null) openOcc.push(r.occ);
    if (prev && r.gray) sameSim.push(faceSimilarity(prev, r.gray));
    prev = r.gray;
    if (i === 0) candGray.push(r.gray);
  }
  const cv = await one(c, 'half-covered', 3, seed++, others[0]!);
  if (cv.occ !== null) coverOcc.push(cv.occ);
}
const strange: number[] = [];
const swapSim: number[] = [];
const perOther: Record<string, number> = {};
for (const [k, o] of others.entries()) {
  const r = await one(o, 'alone', k, seed++, others[0]!);
  if (r.match !== null) {
    strange.push(r.match);
    perOther[o.name] = Math.round(r.match * 1000) / 1000;
  }
  for (const g of candGray) if (g && r.gray) swapSim.push(faceSimilarity(g, r.gray));
}
const q = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const p = (pp: number) => Math.round(s[Math.min(s.length - 1, Math.floor(pp * s.length))]! * 1000) / 1000;
  return { n: s.length, min: p(0), p01: p(0.01), p05: p(0.05), median: p(0.5), p95: p(0.95), p99: p(0.99), max: p(1) };
};
console.log(
  JSON.stringify(
    {
      set: a.set,
      candidates: candidates.map((c) => c.name),
      others: others.length,
      match: { candidate: q(own), others: q(strange) },
      faceSimilarity: { sameFace1sApart: q(sameSim), candidateVsOther: q(swapSim) },
      occlusion: { open: q(openOcc), halfCovered: q(coverOcc) },
      perCandidate,
      perOther,
    },
    null,
    2,
  ),
);
