// The baseline: the least a Node server must do to ingest a segment safely — read the PUT body, SHA-256 it,
// write it to a file and fsync — with no framework, database, auth or validation. Same URLs as Invigil, so
// the same load generator drives both. MINIMAL_SYNC=after answers once the file is written and fsyncs it right
// after, which is what Invigil does with segments ('soon' durability): the same promise, without the framework.
import http from 'node:http';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';

const dir = path.join(process.env.DATA_DIR ?? '.', 'minimal');
const SYNC_AFTER = process.env.MINIMAL_SYNC === 'after';
await fsp.mkdir(dir, { recursive: true });

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST') {
      for await (const _ of req);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: randomUUID() }));
      return;
    }
    const m = /^\/api\/recordings\/([^/]+)\/segments\/(\d+)$/.exec(req.url ?? '');
    if (req.method !== 'PUT' || !m) return void res.writeHead(404).end();
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    for await (const c of req) {
      hash.update(c as Buffer);
      chunks.push(c as Buffer);
    }
    const sha = hash.digest('hex');
    if (sha !== req.headers['x-segment-sha256']) return void res.writeHead(422).end();
    const fh = await fsp.open(path.join(dir, `${m[1]}-${m[2]}`), 'w');
    await fh.writeFile(Buffer.concat(chunks));
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ seq: Number(m[2]), sha256: sha, duplicate: false }));
    if (SYNC_AFTER) answer();
    await fh.sync();
    await fh.close();
    if (!SYNC_AFTER) answer();
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', 4096, () => {
  // the same listen backlog as Invigil (LISTEN_BACKLOG)
  const { port } = server.address() as { port: number };
  process.send?.({ base: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
