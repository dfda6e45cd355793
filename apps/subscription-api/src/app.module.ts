import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from '@herald/observability';
import { ProfilesModule } from '@herald/profile-routes';
import { subscriptionApiModules } from '@herald/webhooks';
import { resolve } from 'node:path';
import { AdminPortalModule } from './admin-portal.module';
import type { SubscriptionApiConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: SubscriptionApiConfig, logger: Logger): DynamicModule {
    const modules = subscriptionApiModules(config, logger);
    return {
      module: AppModule,
      imports: [
        ...modules,
        ProfilesModule.forRoot(config, modules),
        // The portal's build sits beside this app's in the build directory (apps/portal/public).
        AdminPortalModule.forRoot(resolve(__dirname, '../../portal/public'), config.PORTAL_FRAME_ANCESTORS),
      ],
    };
  }
}
