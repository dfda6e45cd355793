import { Global, Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ReadinessRegistry, withTimeout } from '@herald/observability';
import type { DatabaseTls } from './database-settings';
import { OutboxBacklogMetric } from './outbox-backlog.metric';
import { dataSourceOptions, runMigrationsLocked } from './run-migrations';

@Injectable()
class DatabaseReadiness implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}
  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await withTimeout(this.dataSource.query('SELECT 1'), 3000, 'PostgreSQL');
    });
  }
}

export interface PersistenceOptions {
  url: string;
  poolSize: number;
  /** From databaseSettingsFrom(config); plaintext when absent. */
  tls?: DatabaseTls;
  entities: NonNullable<DataSourceOptions['entities']>;
}

@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(options.url, options.entities, options.poolSize, options.tls),
          dataSourceFactory: async (config) => {
            const dataSource = await new DataSource(config!).initialize();
            await runMigrationsLocked(dataSource, options.url, options.tls);
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseReadiness, OutboxBacklogMetric],
      exports: [TypeOrmModule],
    };
  }
}
