import 'reflect-metadata';
import { startApp } from '@herald/http';
import { connectAdminGrpc } from '@herald/webhooks';
import { AppModule } from './app.module';
import { configSchema } from './config';

startApp('subscription-api', configSchema, (config, logger) => AppModule.forRoot(config, logger), {
  // REST and the admin gRPC service share one Nest app (and so the same use cases).
  configure: async (app, config) => {
    if (config.GRPC_PORT !== undefined) await connectAdminGrpc(app, config.GRPC_HOST, config.GRPC_PORT);
  },
});
