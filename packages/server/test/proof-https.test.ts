// HTTPS=selfsigned: the same app on a TLS port with a certificate from a local authority made once and kept,
// so a phone trusts it once; the server certificate is remade when the LAN address changes, the authority is not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCertificates, startHttps, type HttpsListener } from '../src/https.ts';
import { proofRoutes } from '../src/http/routes/proof.ts';
import { makeApp, type TestApp } from './helpers/app.ts';

function get(url: string, ca: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      })
      .on('error', reject);
  });
}

describe('HTTPS=selfsigned', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-https-'));
  let t: TestApp;
  let listener: HttpsListener;
  beforeAll(async () => {
    t = await makeApp('sqlite', { env: { HTTPS: 'selfsigned', HTTPS_PORT: '0', DATA_DIR: dataDir }, deps: { plugins: [(app, ctx) => proofRoutes(app, ctx, { bus: app.realtime })] } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    listener = (await startHttps(t.app, t.app.ctx.config, { dns: ['localhost'], ips: ['127.0.0.1'] }))!;
  });
  afterAll(async () => {
    await listener?.close();
    await t.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the API and socket.io over TLS to a client that trusts the local authority', async () => {
    const ca = fs.readFileSync(listener.caCertFile, 'utf8');
    const health = await get(`https://127.0.0.1:${listener.port}/api/health`, ca);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).status).toBe('ok');
    const sio = await get(`https://127.0.0.1:${listener.port}/socket.io/?EIO=4&transport=polling`, ca);
    expect(sio.status).toBe(200);
    expect(sio.body).toContain('"sid"');
    // Without the authority, the certificate is (rightly) not trusted.
    await expect(get(`https://127.0.0.1:${listener.port}/api/health`, '')).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });

  it('hands out the authority certificate for phones to install', async () => {
    const res = await t.req('GET', '/api/proof/ca.crt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-x509-ca-cert');
    expect(new X509Certificate(res.body).ca).toBe(true);
  });

  it('keeps the authority and the certificate across restarts; a new LAN address only remakes the server certificate', async () => {
    const again = await ensureCertificates(dataDir, { dns: ['localhost'], ips: ['127.0.0.1'] });
    expect(again.renewed).toBe(false);
    const moved = await ensureCertificates(dataDir, { dns: ['localhost'], ips: ['127.0.0.1', '10.1.2.3'] });
    expect(moved.renewed).toBe(true);
    expect(moved.ca).toBe(again.ca);
    const leaf = new X509Certificate(moved.cert);
    expect(leaf.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(leaf.verify(new X509Certificate(moved.ca).publicKey)).toBe(true);
  });
});
