// A local S3-compatible store for the scaled demo stack (s3rver, a dev dependency; not for production — use a
// real object store with versioning there, see docs/deploy.md). Usage: node --import tsx scripts/s3-dev.ts DIR PORT BUCKET
import fs from 'node:fs';
import S3rver from 's3rver';

const [dir = './data-scaled/s3', port = '4569', bucket = 'invigil'] = process.argv.slice(2);
fs.mkdirSync(dir, { recursive: true });
const server = new S3rver({ port: Number(port), address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
await server.run();
console.log(`s3rver listening on http://127.0.0.1:${port} (bucket ${bucket}, files in ${dir})`);
const stop = () => {
  server.httpServer.closeAllConnections();
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
