/**
 * A gRPC hop with a message size limit in front of the real Qdrant, as a proxy (Envoy, nginx, a cloud
 * load balancer) puts one: a @grpc/grpc-js server that refuses messages over `maxBytes` (grpc-js itself
 * answers RESOURCE_EXHAUSTED "Received message larger than max") and forwards the rest, bytes as they are,
 * to Qdrant's gRPC port. Qdrant 1.18 has no gRPC size limit of its own, so this is how a test meets one.
 */
import { Client, Metadata, Server, ServerCredentials, credentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';

export interface SizeLimitProxy {
  url: string;
  close(): Promise<void>;
}

const METHODS = ['/qdrant.Points/Upsert', '/qdrant.Qdrant/HealthCheck', '/qdrant.Collections/CollectionExists'];

export async function startSizeLimitProxy(upstreamTarget: string, maxBytes: number): Promise<SizeLimitProxy> {
  const upstream = new Client(upstreamTarget, credentials.createInsecure());
  const server = new Server({ 'grpc.max_receive_message_length': maxBytes });
  const passThrough = (b: Buffer) => b;
  const forward = (method: string) => (call: ServerUnaryCall<Buffer, Buffer>, reply: sendUnaryData<Buffer>) => {
    const md = new Metadata();
    for (const [k, v] of Object.entries(call.metadata.getMap())) md.set(k, v as string);
    upstream.makeUnaryRequest(method, passThrough, passThrough, call.request, md, (err, res) => reply(err, res));
  };
  for (const method of METHODS) server.register(method, forward(method), passThrough, passThrough, 'unary');
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        upstream.close();
        server.tryShutdown(() => r());
      }),
  };
}
