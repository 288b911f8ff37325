import { createServer, type Server } from 'node:net';

function listenOnAnyPort(): Promise<{ srv: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
      resolve({ srv, port: addr.port });
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `n` distinct TCP ports on 127.0.0.1 that were free a moment ago: all are held open together while the OS
 * picks them, so they never repeat (asking `freePort()` n times may give the same port twice).
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: Array<{ srv: Server; port: number }> = [];
  try {
    for (let i = 0; i < n; i++) held.push(await listenOnAnyPort());
    return held.map((h) => h.port);
  } finally {
    await Promise.all(held.map((h) => new Promise<void>((r) => h.srv.close(() => r()))));
  }
}
