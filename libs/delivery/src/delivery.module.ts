import { Module, type DynamicModule } from '@nestjs/common';
import { DelivererConsumers } from './deliverer.consumer';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options';

@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryOptions): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [{ provide: DELIVERY_OPTIONS, useValue: options }, DelivererConsumers],
    };
  }
}
