import 'reflect-metadata';
import { startApp } from '@herald/http';
import { AppModule } from './app.module';
import { configSchema } from './config';

startApp('subscription-api', configSchema, (config, logger) => AppModule.forRoot(config, logger));
