// HTTPS=selfsigned: a phone's camera needs a secure context, and on a LAN there is no public certificate.
// We make a small local certificate authority once (kept in DATA_DIR/https), and a server certificate signed by it
// for this computer's names and LAN addresses. A phone trusts the authority once (docs/phone-https.md); when the
// LAN address changes only the server certificate is made again, so the phone does not have to trust anew.
//
// The TLS port hands each decrypted connection to the same http.Server Fastify and socket.io already serve, so
// every route, cookie and websocket behaves the same on both ports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import selfsigned from 'selfsigned';
import type { Config } from './config.ts';
import { lanAddresses } from './services/proof/codes.ts';

const CA_DAYS = 3650;
// Apple refuses TLS server certificates valid for more than 825 days.
const SERVER_DAYS = 825;
const RENEW_BEFORE_DAYS = 30;

export interface HttpsListener {
  port: number;
  /** e.g. https://192.168.1.20:8443 — the address a phone on the same network opens. */
  url: string;
  /** Where the authority's certificate lies, to hand to phones (also served at /api/proof/ca.crt). */
  caCertFile: string;
  close(): Promise<void>;
}

export interface CertFiles {
  dir: string;
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export const certFiles = (dataDir: string): CertFiles => {
  const dir = path.join(dataDir, 'https');
  return { dir, caCert: path.join(dir, 'ca.crt'), caKey: path.join(dir, 'ca.key'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
};

const days = (n: number, from = new Date()) => new Date(from.getTime() + n * 86_400_000);

/** Names the server certificate must cover: loopback, this computer's name, every LAN address. */
export function wantedNames(hostname = os.hostname(), addresses = lanAddresses()): { dns: string[]; ips: string[] } {
  return { dns: [...new Set(['localhost', hostname, `${hostname}.local`])], ips: [...new Set(['127.0.0.1', '::1', ...addresses])] };
}

function covers(certPem: string, names: { dns: string[]; ips: string[] }): boolean {
  const cert = new X509Certificate(certPem);
  if (new Date(cert.validTo).getTime() < days(RENEW_BEFORE_DAYS).getTime()) return false;
  const san = cert.subjectAltName ?? '';
  const ipOf = (ip: string) => (ip.includes(':') ? `IP Address:${ip === '::1' ? '0:0:0:0:0:0:0:1' : ip}` : `IP Address:${ip}`);
  return names.dns.every((d) => san.includes(`DNS:${d}`)) && names.ips.filter((ip) => !ip.includes(':')).every((ip) => san.includes(ipOf(ip)));
}

/** Loads the certificates from DATA_DIR/https, creating the authority once and the server certificate when needed. */
export async function ensureCertificates(dataDir: string, names = wantedNames()): Promise<{ key: string; cert: string; ca: string; files: CertFiles; renewed: boolean }> {
  const f = certFiles(dataDir);
  fs.mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(f.caCert) || !fs.existsSync(f.caKey)) {
    const ca = await selfsigned.generate(
      [
        { name: 'commonName', value: `Invigil local CA (${os.hostname()})` },
        { name: 'organizationName', value: 'Invigil' },
      ],
      {
        keySize: 2048,
        algorithm: 'sha256',
        notAfterDate: days(CA_DAYS),
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      },
    );
    fs.writeFileSync(f.caKey, ca.private, { mode: 0o600 });
    fs.writeFileSync(f.caCert, ca.cert);
    fs.rmSync(f.cert, { force: true });
  }
  const caCert = fs.readFileSync(f.caCert, 'utf8');
  let renewed = false;
  if (!fs.existsSync(f.cert) || !fs.existsSync(f.key) || !covers(fs.readFileSync(f.cert, 'utf8'), names)) {
    const server = await selfsigned.generate([{ name: 'commonName', value: names.ips.find((ip) => !ip.startsWith('127.') && !ip.includes(':')) ?? 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: days(SERVER_DAYS),
      ca: { key: fs.readFileSync(f.caKey, 'utf8'), cert: caCert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2 as const, value })), ...names.ips.map((ip) => ({ type: 7 as const, ip }))] },
      ],
    });
    fs.writeFileSync(f.key, server.private, { mode: 0o600 });
    fs.writeFileSync(f.cert, server.cert);
    renewed = true;
  }
  // The chain (server + authority) lets a phone that trusts the authority verify the server certificate.
  return { key: fs.readFileSync(f.key, 'utf8'), cert: `${fs.readFileSync(f.cert, 'utf8').trim()}\n${caCert.trim()}\n`, ca: caCert, files: f, renewed };
}

/** Starts the TLS listener when HTTPS=selfsigned; null otherwise. Call after app.listen(). */
export async function startHttps(app: FastifyInstance, config: Config, names = wantedNames()): Promise<HttpsListener | null> {
  if (config.https !== 'selfsigned') return null;
  const { key, cert, files, renewed } = await ensureCertificates(config.dataDir, names);
  if (renewed) app.log.info({ dir: files.dir }, 'made a new server certificate for HTTPS=selfsigned');
  const server = tls.createServer({ key, cert, ALPNProtocols: ['http/1.1'] }, (socket) => app.server.emit('connection', socket));
  server.on('tlsClientError', (err) => app.log.debug({ err }, 'TLS handshake failed (a phone that does not trust the certificate yet?)'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.httpsPort, config.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const host = names.ips.find((ip) => !ip.startsWith('127.') && !ip.includes(':')) ?? '127.0.0.1';
  return {
    port,
    url: `https://${host}:${port}`,
    caCertFile: files.caCert,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
