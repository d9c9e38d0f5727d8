// `npm run invigil -- <command>`: operations on the same DATA_DIR / DATABASE_URL as the server.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, migrate } from './adapters/db/database.ts';
import { systemClock, type Ctx } from './services/context.ts';
import { seedDemo } from './services/demo.ts';
import fs from 'node:fs';
import { auditAnchor, verifyAudit } from './services/audit.ts';
import { useAuditKey } from './services/audit-key.ts';
import { parseAnchors } from './services/audit-anchors.ts';

const USAGE = `Usage: npm run invigil -- <command>
  seed-demo [--starts-in SECONDS] [--duration SECONDS] [--candidates N] [--kind real|mock-self|mock-central] [--face on|off] [--proof on|off] [--window SECONDS] [--lead SECONDS]
  audit verify [--anchor-file FILE] [--anchor JSON]
  audit anchor
  recordings --session ID [--json]`;

async function withCtx<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const config = loadConfig();
  useAuditKey(config);
  const db = await openDatabase(config.database);
  try {
    await migrate(db.db);
    return await fn({ db: db.db, dbKind: db.kind, config, clock: systemClock });
  } finally {
    await db.close();
  }
}

function fail(msg: string): never {
  console.error(`${msg}\n\n${USAGE}`);
  process.exit(2);
}

const onOff = (v: string | undefined, def: boolean, name: string) => (v === undefined ? def : v === 'on' ? true : v === 'off' ? false : fail(`--${name} must be on or off`));

export async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'seed-demo') {
    const { values } = parseArgs({
      args: rest,
      options: {
        'starts-in': { type: 'string' },
        duration: { type: 'string' },
        candidates: { type: 'string' },
        kind: { type: 'string' },
        face: { type: 'string' },
        proof: { type: 'string' },
        window: { type: 'string' },
        lead: { type: 'string' },
      },
    });
    const num = (v: string | undefined, def: number, name: string, min: number) => {
      if (v === undefined) return def;
      const n = Number(v);
      return Number.isInteger(n) && n >= min ? n : fail(`--${name} must be an integer ≥ ${min}`);
    };
    const kind = values.kind ?? 'real';
    if (!['real', 'mock-self', 'mock-central'].includes(kind)) fail('--kind must be real, mock-self or mock-central');
    const result = await withCtx((ctx) =>
      seedDemo(ctx, {
        startsInSec: num(values['starts-in'], 20 * 60, 'starts-in', 0),
        durationSec: num(values.duration, 25 * 60, 'duration', 10),
        windowSec: num(values.window, 2 * 86400, 'window', 10),
        leadSec: num(values.lead, 60, 'lead', 5),
        candidates: num(values.candidates, 5, 'candidates', 0),
        kind: kind as 'real',
        face: onOff(values.face, false, 'face'),
        proof: onOff(values.proof, false, 'proof'),
        baseUrl: ctx.config.publicUrl ?? `http://127.0.0.1:${ctx.config.port}`,
      }),
    );
    console.log(JSON.stringify(result));
    return 0;
  }
  if (cmd === 'audit' && rest[0] === 'anchor') {
    const a = await withCtx((ctx) => auditAnchor(ctx.db));
    console.log(JSON.stringify(a));
    return 0;
  }
  if (cmd === 'audit' && rest[0] === 'verify') {
    const { values } = parseArgs({ args: rest.slice(1), options: { 'anchor-file': { type: 'string' }, anchor: { type: 'string' } } });
    const anchors = [...(values['anchor-file'] ? parseAnchors(fs.readFileSync(values['anchor-file'], 'utf8')) : []), ...(values.anchor ? parseAnchors(values.anchor) : [])];
    const r = await withCtx((ctx) => verifyAudit(ctx.db, { anchors }));
    console.log(
      r.ok
        ? `audit log OK: ${r.checked} rows, chain and MACs intact${anchors.length ? `, ${anchors.length} anchor(s) matched` : ''}`
        : `audit log BROKEN at seq ${r.firstBrokenSeq} (${r.reason}; ${r.checked} rows before it are intact)`,
    );
    return r.ok ? 0 : 1;
  }
  if (cmd === 'recordings') {
    const { recordingsCommand } = await import('./cli/recordings.ts');
    return withCtx((ctx) => recordingsCommand(ctx, rest));
  }
  fail(cmd ? `Unknown command: ${cmd}` : 'No command given');
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
