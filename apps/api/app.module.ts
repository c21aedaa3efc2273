import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, ConfigModule } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { TemporalClientModule } from '../../libs/temporal/temporal-client.module';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { ImportsController } from './imports/imports.controller';
import { PredictionsModule } from './predictions/predictions.module';
import { UsersController } from './users/users.controller';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => ({
        pinoHttp: {
          level: cfg.LOG_LEVEL,
          // Health probes every few seconds would drown the request log.
          autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
        },
      }),
    }),
    PersistenceModule,
    TemporalClientModule,
    PredictionsModule,
  ],
  controllers: [HealthController, UsersController, EventsController, ImportsController],
})
export class AppModule {}
