// A socket.io client of a test's app on a real port, with the session cookie; closed by the caller's afterAll.
import { io as connect, type Socket } from 'socket.io-client';

export function socketOf(url: string, cookie: string, opened: Socket[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    opened.push(s);
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
  });
}
