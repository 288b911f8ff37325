/**
 * A "null Qdrant": answers the few control calls a run makes (version, collections, create, payload
 * index) and accepts upserts, reading and discarding the bodies. The bench's null sink, showing what the
 * client alone can do; run it as a child process so its CPU is not the client's:
 * `tsx electron/engine/qdrant/null-sink-server.ts [port]` prints its URL.
 */
import http from 'node:http';

const OK_UPDATE = '{"result":{"operation_id":0,"status":"completed"},"status":"ok","time":0}';

export function startNullSink(port = 0): Promise<{ url: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0;
  const created = new Map<string, number>();
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => {
      bytes += c.length;
    });
    req.on('end', () => {
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      let body = OK_UPDATE;
      const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(path);
      if (path === '/' || path === '') body = '{"title":"null sink","version":"1.19.0"}';
      else if (path === '/collections') body = '{"result":{"collections":[]},"status":"ok","time":0}';
      else if (m && m[2] === '/exists') body = `{"result":{"exists":${created.has(m[1]!)}},"status":"ok","time":0}`;
      else if (m && !m[2] && req.method === 'PUT') {
        created.set(m[1]!, 1);
        body = '{"result":true,"status":"ok","time":0}';
      } else if (m && !m[2] && req.method === 'GET') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":{"error":"not found"},"time":0}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
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
