import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { APP_CONFIG } from '../../../libs/config/config.module';
import { AppConfig } from '../../../libs/config/config';
import { ensureSendTimeSchedule } from '../../../libs/temporal/send-time-schedule';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { TypologyModule } from '../../../libs/typology/typology.module';
import { SendTimeController } from './send-time.controller';

/** Makes the optimizeSendTimes schedule match SEND_TIME_OPTIMIZE_AT when the API starts. */
@Injectable()
export class SendTimeScheduleReconciler implements OnApplicationBootstrap {
  private readonly log = new Logger('SendTimeSchedule');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the API serves while Temporal may still be starting; a failure is logged, and the next start repairs it.
    void ensureSendTimeSchedule(this.client, this.cfg)
      .then((change) => change !== 'unchanged' && this.log.log(`send-time schedule ${change}`))
      .catch((err) => this.log.warn(`send-time schedule not ensured: ${(err as Error).message}`));
  }
}

@Module({
  imports: [TypologyModule],
  controllers: [SendTimeController],
  providers: [SendTimeScheduleReconciler],
})
export class SendTimeModule {}
