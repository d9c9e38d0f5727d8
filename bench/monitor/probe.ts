// Calibration probe: lower/upper gradient ratio of open vs covered faces across the clips' faces.
import { loadNodeMonitor } from './human-node.ts';
import { IdentityPlan, ReferenceBuilder, lowerFaceRatio } from '../../packages/web/src/face-monitor/analysis.ts';
import { faceCrop, frame, otherFaces, registrationPhoto, room, type Scene } from '../../e2e/fixtures/monitor-scenes.ts';
import { MAN } from '../../e2e/fixtures/faces.ts';
const m = await loadNodeMonitor();
const ref = await m.descriptor(await registrationPhoto());
const others = await otherFaces(async (j) => {
  const r = await m.human.detect((await import('sharp')).default(j) as never).catch(() => null);
  void r;
  return [];
}, 2);
for (const name of MAN.slice(1, 4)) {
  const cand = await faceCrop(name);
  for (const scene of ['alone', 'half-covered'] as Scene[]) {
    const row = [];
    for (let i = 0; i < 2; i++) {
      const r = await m.analyse(await frame({ scene, sec: i * 4, candidate: cand, other: others[i % 2]!, background: room(i), seed: i }), i, new ReferenceBuilder(ref), new IdentityPlan());
      row.push(`${r.sample.faces}f ratio=${r.faceGray ? lowerFaceRatio(r.faceGray).toFixed(2) : '-'} m=${r.sample.match} ${Math.round(r.ms)}ms`);
    }
    console.log(name, scene, row.join(' | '));
  }
}
