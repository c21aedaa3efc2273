import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { connectionOptions } from './connection-options';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/** A Temporal client for starting, querying and scheduling workflows (the API holds only this). */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: async (cfg: AppConfig): Promise<Client> => {
        // Lazy: the API starts (and reports unhealthy) even while Temporal is still coming up.
        const connection = Connection.lazy(connectionOptions(cfg));
        return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
      },
    },
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalClientModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
