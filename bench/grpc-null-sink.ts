/**
 * A gRPC "null Qdrant" for the client-alone bench: `qdrant.Points/Upsert` reads each message whole and
 * answers an empty PointsOperationResponse, nothing else. Run it as a child process so its CPU is not the
 * client's: `tsx bench/grpc-null-sink.ts` prints "grpc null sink listening on http://127.0.0.1:PORT".
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';

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
