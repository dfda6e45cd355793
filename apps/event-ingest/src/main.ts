import 'reflect-metadata';
import { startApp } from '@herald/http';
import { AppModule } from './app.module';
import { configSchema } from './config';

startApp('event-ingest', configSchema, (config, logger) => AppModule.forRoot(config, logger), {
  bodyLimitBytes: (config) => config.INGEST_MAX_EVENT_BYTES,
});
