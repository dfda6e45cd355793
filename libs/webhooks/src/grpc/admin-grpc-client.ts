import { resolve } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ADMIN_PROTO_FILE, ADMIN_PROTO_PACKAGE, adminProtoRoot } from './admin-grpc';

export type AdminGrpcOutcome = { ok: true; value: any } | { ok: false; error: ServiceError };

/** Metadata of one call: `authorization` is sent verbatim (e.g. `Bearer <api key>`). */
export interface AdminGrpcCredentials {
  authorization?: string;
  tenant?: string;
}

/**
 * A client of the admin gRPC service built from the checked-in proto at run time, as a client
 * in any other language would be (for tests and scripts; nothing generated to keep in step).
 */
export class AdminGrpcClient {
  /** Every RPC of the WebhookAdmin service, as the proto names them (`CreateWebhook`, …). */
  readonly rpcs: string[];
  private readonly client: Client & Record<string, (...args: unknown[]) => unknown>;

  constructor(address: string) {
    const root = adminProtoRoot();
    const definition = loadSync(resolve(root, ADMIN_PROTO_FILE), {
      keepCase: false,
      longs: Number,
      defaults: false,
      arrays: true,
      includeDirs: [root],
    });
    this.rpcs = Object.keys(definition[`${ADMIN_PROTO_PACKAGE}.WebhookAdmin`]);
    const pkg = loadPackageDefinition(definition) as any;
    this.client = new pkg.herald.admin.v1.WebhookAdmin(address, credentials.createInsecure());
  }

  /** One unary call; a gRPC error is an outcome, not a rejection. */
  call(rpc: string, request: object, { authorization, tenant }: AdminGrpcCredentials = {}): Promise<AdminGrpcOutcome> {
    const metadata = new Metadata();
    if (authorization !== undefined) metadata.set('authorization', authorization);
    if (tenant !== undefined) metadata.set('x-tenant-id', tenant);
    return new Promise((done) => {
      this.client[rpc](request, metadata, (error: ServiceError | null, value: unknown) =>
        done(error ? { ok: false, error } : { ok: true, value }),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
