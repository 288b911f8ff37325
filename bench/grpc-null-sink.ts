/**
 * A gRPC "null Qdrant" for the client-alone bench: `qdrant.Points/Upsert` reads each message whole and
 * answers an empty PointsOperationResponse; `HealthCheck` says version 1.19.0 and `CollectionExists` yes, as
 * the REST null sink (electron/engine/qdrant/null-sink-server.ts) does, so a whole run can choose gRPC.
 * Run it as a child process so its CPU is not the client's: `tsx bench/grpc-null-sink.ts` prints
 * "grpc null sink listening on http://127.0.0.1:PORT".
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { ProtoWriter } from '../electron/engine/qdrant/grpc/proto-writer';

function reply(build: (w: ProtoWriter) => void): Buffer {
  const w = new ProtoWriter(64);
  build(w);
  return Buffer.from(w.view());
}
// HealthCheckReply { version: "1.19.0" }; CollectionExistsResponse { result: { exists: true } }
const HEALTH = reply((w) => w.string(2, '1.19.0'));
const EXISTS = Buffer.from([0x0a, 0x02, 0x08, 0x01]);

export function startGrpcNullSink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new Server({ 'grpc.max_receive_message_length': -1 });
  const passThrough = (b: Buffer) => b;
  server.register(
    '/qdrant.Points/Upsert',
    (_call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>) => reply(null, Buffer.alloc(0)),
    passThrough,
    passThrough,
    'unary',
  );
  server.register('/qdrant.Qdrant/HealthCheck', (_c: ServerUnaryCall<Buffer, Buffer>, r: sendUnaryData<Buffer>) => r(null, HEALTH), passThrough, passThrough, 'unary');
  server.register('/qdrant.Collections/CollectionExists', (_c: ServerUnaryCall<Buffer, Buffer>, r: sendUnaryData<Buffer>) => r(null, EXISTS), passThrough, passThrough, 'unary');
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => {
      if (err) return reject(err);
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.tryShutdown(() => r())) });
    });
  });
}

if (process.argv[1] && /grpc-null-sink\.(ts|js)$/.test(process.argv[1])) {
  startGrpcNullSink().then(
    (s) => console.log(`grpc null sink listening on ${s.url}`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
