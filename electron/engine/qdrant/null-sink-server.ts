/**
 * A tiny HTTP server that accepts Qdrant upserts, reads and discards the bodies and answers like Qdrant:
 * the bench's "null sink", which shows what the client alone can do. Run as a child process so its CPU
 * is not the client's: `tsx electron/engine/qdrant/null-sink-server.ts` prints its port.
 */
import http from 'node:http';

const REPLY = Buffer.from('{"result":{"operation_id":0,"status":"completed"},"status":"ok","time":0}');

export function startNullSink(port = 0): Promise<{ url: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': REPLY.length });
      res.end(REPLY);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${addr.port}`,
        bytes: () => bytes,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

if (process.argv[1] && /null-sink-server\.(ts|js)$/.test(process.argv[1])) {
  void startNullSink(Number(process.argv[2] ?? 0)).then((s) => {
    process.stdout.write(`${s.url}\n`);
  });
}
