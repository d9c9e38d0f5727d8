// Part of `npm run up`: migrate, seed the demo exam when the database is empty, and print every URL and login.
// The demo logins are stored in DATA_DIR/demo.json so a second `npm run up` prints the same ones.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../packages/server/src/config.ts';
import { openDatabase, migrate } from '../packages/server/src/adapters/db/database.ts';
import { seedDemo } from '../packages/server/src/services/demo.ts';
import { systemClock } from '../packages/server/src/services/context.ts';

const config = loadConfig();
const db = await openDatabase(config.database);
await migrate(db.db);
const base = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
const demoFile = path.join(config.dataDir, 'demo.json');
const exams = await db.db.selectFrom('exams').select('id').limit(1).execute();
let demo: Awaited<ReturnType<typeof seedDemo>> | null = null;
if (exams.length === 0) {
  demo = await seedDemo(
    { db: db.db, dbKind: db.kind, config, clock: systemClock },
    { startsInSec: 20 * 60, durationSec: 25 * 60, candidates: 5, kind: 'real', face: false, proof: false, baseUrl: base },
  );
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
} else if (fs.existsSync(demoFile)) demo = JSON.parse(fs.readFileSync(demoFile, 'utf8'));
await db.close();

const line = (s = '') => console.log(s);
line();
line('  Invigil is starting (SQLite + local disk in ' + config.dataDir + ')');
line();
line(`  Candidate (desktop)  ${base}/`);
line(`  Administrator        ${base}/admin`);
line(`  Proctor              ${base}/proctor`);
line(`  API docs             ${base}/api/docs`);
line();
if (demo) {
  line(`  Demo session starts at ${new Date(demo.startsAt).toLocaleString('zh-CN', { hour12: false })} (lasts 25 min)`);
  for (const role of ['admin', 'proctor', 'examiner', 'support'] as const) line(`  ${role.padEnd(9)} username ${demo[role].username.padEnd(12)} password ${demo[role].password}`);
  line('  candidates (身份证号 / 准考证号):');
  for (const c of demo.candidates) line(`    ${c.name}  ${c.idNumber}  ${c.ticket}`);
  line('  A fresh session for a quick try:  npm run invigil -- seed-demo --starts-in 120 --duration 300');
} else line('  (database already had data; demo logins are not known — run: npm run invigil -- seed-demo)');
line();
