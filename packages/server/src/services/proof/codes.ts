// Bind codes: random, short enough to type on a phone, stored only as a hash (a leaked database row cannot be
// typed into a phone), and the URL a phone can reach for the QR code.
import { createHash, randomInt } from 'node:crypto';
import os from 'node:os';
import { BIND_CODE_ALPHABET, BIND_CODE_LENGTH, normalizeBindCode } from '@invigil/contracts';

export function newBindCode(): string {
  let code = '';
  for (let i = 0; i < BIND_CODE_LENGTH; i++) code += BIND_CODE_ALPHABET[randomInt(BIND_CODE_ALPHABET.length)];
  return code;
}

/** Null when the input cannot be a code at all (wrong length or characters), so no lookup is needed. */
export function bindCodeHash(input: string): string | null {
  const code = normalizeBindCode(input);
  if (code.length !== BIND_CODE_LENGTH || [...code].some((c) => !BIND_CODE_ALPHABET.includes(c))) return null;
  return createHash('sha256').update(code).digest('hex');
}

export interface PhoneUrlInput {
  publicUrl: string | null;
  https: 'off' | 'selfsigned';
  httpsPort: number;
  /** How the desktop reached us: the phone on the same LAN reaches the same host. */
  requestProtocol: string;
  requestHost: string; // host[:port]
  lanAddresses: string[];
}

const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1';

/**
 * The base URL for the phone. A phone needs a secure context for its camera: an https PUBLIC_URL (a reverse
 * proxy) wins; else with HTTPS=selfsigned the server's own TLS port on an address the phone can reach (the
 * desktop's host unless that is this computer's loopback, then the first LAN address); else what the desktop used.
 */
export function phoneBaseUrl(i: PhoneUrlInput): { base: string; selfSigned: boolean } {
  if (i.publicUrl?.startsWith('https://')) return { base: i.publicUrl, selfSigned: false };
  if (i.https === 'selfsigned') {
    const hostname = i.requestHost.replace(/:\d+$/, '');
    const host = isLoopback(hostname) && i.lanAddresses.length ? i.lanAddresses[0]! : hostname;
    return { base: `https://${host}:${i.httpsPort}`, selfSigned: true };
  }
  return { base: i.publicUrl ?? `${i.requestProtocol}://${i.requestHost}`, selfSigned: false };
}

/** This computer's non-internal IPv4 addresses (what a phone on the same Wi-Fi can reach). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}
