/**
 * Ports for the services the app starts on loopback: the usual one when it is free, otherwise one the OS
 * picks (and the caller shows which). "Free" means we could listen on it ourselves a moment ago.
 */
import { createConnection, createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** True when nothing listens on `port` of 127.0.0.1 (we could bind it ourselves). */
export function portIsFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A free port the OS picks. */
export function anyFreePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** `preferred` when free (and not in `avoid`), else a port the OS picks. */
export async function choosePort(preferred: number, avoid: readonly number[] = []): Promise<{ port: number; preferredTaken: boolean }> {
  if (!avoid.includes(preferred) && (await portIsFree(preferred))) return { port: preferred, preferredTaken: false };
  for (;;) {
    const port = await anyFreePort();
    if (!avoid.includes(port)) return { port, preferredTaken: true };
  }
}

/** True when something accepts a TCP connection on host:port within `timeoutMs`. */
export function answersTcp(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** True for a URL host that names this machine (a service can be started for it here). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
