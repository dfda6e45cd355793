import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Metadata, status } from '@grpc/grpc-js';
import type { INestApplication } from '@nestjs/common';
import { RpcException, Transport, type GrpcOptions } from '@nestjs/microservices';
import { ERROR_TABLE, HeraldError, RateLimitedError } from '@herald/http';

export const ADMIN_PROTO_FILE = 'herald/admin/v1/admin.proto';
export const ADMIN_PROTO_PACKAGE = 'herald.admin.v1';

/**
 * The proto's root directory: `libs/webhooks/proto`, found from this file in the sources or in
 * a build directory beside them (swc does not copy .proto files).
 */
export function adminProtoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    for (const candidate of [resolve(dir, 'proto'), resolve(dir, 'libs/webhooks/proto')]) {
      if (existsSync(resolve(candidate, ADMIN_PROTO_FILE))) return candidate;
    }
    if (dirname(dir) === dir) throw new Error(`${ADMIN_PROTO_FILE} not found above ${from}`);
  }
}

export function adminGrpcOptions(host: string, port: number): GrpcOptions {
  const root = adminProtoRoot();
  return {
    transport: Transport.GRPC,
    options: {
      package: ADMIN_PROTO_PACKAGE,
      protoPath: resolve(root, ADMIN_PROTO_FILE),
      url: `${host}:${port}`,
      loader: {
        keepCase: false,
        longs: Number,
        enums: String,
        defaults: false,
        arrays: true,
        objects: true,
        includeDirs: [root],
      },
    },
  };
}

/** Serves the admin gRPC service from the same Nest app as the REST API (a hybrid app). */
export async function connectAdminGrpc(app: INestApplication, host: string, port: number): Promise<void> {
  // Not inheritAppConfig: the app's global filter writes HTTP responses; gRPC errors are RpcExceptions.
  app.connectMicroservice(adminGrpcOptions(host, port));
  await app.startAllMicroservices();
}

/**
 * gRPC's mapper: a HeraldError becomes its table code with the same message (a rate limit adds
 * `retry-after` metadata); anything unexpected is INTERNAL without details.
 */
export function toRpcException(error: unknown): RpcException {
  if (!(error instanceof HeraldError)) return new RpcException({ code: status.INTERNAL, message: 'Internal error' });
  const code = ERROR_TABLE[error.code].grpc;
  if (error instanceof RateLimitedError) {
    // REST's Retry-After header, as a trailer (grpc-js sends an error's metadata with its status).
    const metadata = new Metadata();
    metadata.set('retry-after', String(error.retryAfterSeconds));
    return new RpcException({ code, message: error.message, metadata });
  }
  return new RpcException({ code, message: error.message });
}
