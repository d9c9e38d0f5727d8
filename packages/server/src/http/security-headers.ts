// Browser-side defences (issue #13): security headers (helmet) with a Content-Security-Policy the apps work
// under, HSTS and `Secure` cookies on HTTPS, `no-store` on every API answer, and an Origin / Sec-Fetch-Site check
// on every state-changing request and on the socket.io handshake (SameSite=Strict alone lets another app on the
// same host — same *site* — post to us).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';

/**
 * Every directive is what the apps need, checked by e2e/specs/security-csp.spec.ts:
 * antd's CSS-in-JS writes <style> elements (style 'unsafe-inline'); Human's TensorFlow wasm backend compiles
 * WebAssembly ('wasm-unsafe-eval') and its models and wasm are served by us; recordings, thumbnails and the
 * monitor worker use blob: and data: URLs; getUserMedia streams play from mediastream:; socket.io uses
 * WebSocket to this same host. Nothing is framed (frame-ancestors 'none').
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:', 'mediastream:'],
  connectSrc: ["'self'", 'ws:', 'wss:', 'blob:', 'data:'],
  workerSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

const PERMISSIONS_POLICY = 'camera=(self), microphone=(self), display-capture=(self), fullscreen=(self), screen-wake-lock=(self), geolocation=(), payment=(), usb=()';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origins our own pages are served from: the address this request came to, PUBLIC_URL, and the HTTPS listener. */
function allowedOrigins(config: Config, host: string | undefined, protocol: string): Set<string> {
  const out = new Set<string>();
  if (host) {
    out.add(`${protocol}://${host}`);
    const bare = host.replace(/:\d+$/, '');
    if (config.https === 'selfsigned') out.add(`https://${bare}:${config.httpsPort}`).add(`http://${bare}:${config.port}`);
  }
  if (config.publicUrl) out.add(new URL(config.publicUrl).origin);
  return out;
}

/** True when a browser says the request comes from another origin. No Origin and no Sec-Fetch-Site: not a browser. */
export function crossOrigin(headers: IncomingMessage['headers'], allowed: Set<string>): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string') return !allowed.has(origin.toLowerCase());
  const site = headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none';
}

export function originCheck(config: Config) {
  return (req: FastifyRequest) => crossOrigin(req.headers, allowedOrigins(config, req.host, req.protocol));
}

/** socket.io's allowRequest: the handshake is refused from a foreign page, as a POST would be. */
export function socketOriginCheck(config: Config) {
  return (req: IncomingMessage, callback: (err: string | null, ok: boolean) => void) => {
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    const allowed = allowedOrigins(config, req.headers.host, secure ? 'https' : 'http');
    const refused = crossOrigin(req.headers, allowed);
    callback(refused ? 'ORIGIN_REFUSED' : null, !refused);
  };
}

const HELMET: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // Set per request below: only an HTTPS answer may carry HSTS (on plain HTTP browsers ignore it anyway).
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
};

/**
 * The headers helmet sets for these options, taken once from helmet itself: they are the same for every answer.
 * (@fastify/helmet built helmet's middleware — parsing the CSP directives — on every request: 3.5 % of the event
 * loop at 1,000 segment PUTs a second, bench/morning profile, 7 Dec.)
 */
export function helmetHeaders(options: HelmetOptions = HELMET): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = { setHeader: (k: string, v: unknown) => headers.set(k.toLowerCase(), String(v)), removeHeader: (k: string) => headers.delete(k.toLowerCase()) };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return [...headers];
}

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const fixed: Array<[string, string]> = [...helmetHeaders(), ['permissions-policy', PERMISSIONS_POLICY]];
  const isCrossOrigin = originCheck(config);
  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of fixed) reply.header(k, v);
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=15552000');
    if (UNSAFE.has(req.method) && req.url.startsWith('/api/') && isCrossOrigin(req)) throw new AppError('ORIGIN_REFUSED');
  });
  app.addHook('onSend', async (req, reply, payload) => {
    // Questions, attempts, face results, scores: nothing of the API may sit in a shared or disk cache.
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
    // On HTTPS every cookie is Secure, whichever route set it.
    if (req.protocol === 'https' || config.cookieSecure) {
      const c = reply.getHeader('set-cookie');
      if (c)
        reply.header(
          'set-cookie',
          [c].flat().map((v) => (/;\s*secure/i.test(String(v)) ? String(v) : `${String(v)}; Secure`)),
        );
    }
    return payload;
  });
}
