import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '../../libs/access/access.module';
import { APP_CONFIG, ConfigModule } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';
import { FailFastDatabaseModule } from '../../libs/persistence/fail-fast-database.module';
import { PersistenceModule } from '../../libs/persistence/persistence.module';
import { TemporalClientModule } from '../../libs/temporal/temporal-client.module';
import { ApiKeyGuard } from './access/api-key.guard';
import { RateLimitGuard } from './access/rate-limit.guard';
import { AuditModule } from './audit/audit.module';
import { JsonBodyInterceptor } from './common/body-limit';
import { ErrorFilter } from './common/error.filter';
import { TemporalDeadlineInterceptor } from './common/temporal-deadline';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { KeysModule } from './keys/keys.module';
import { ControlGroupModule } from './control-group/control-group.module';
import { MetricsModule } from './metrics/metrics.module';
import { PredictionsModule } from './predictions/predictions.module';
import { SegmentsModule } from './segments/segments.module';
import { SegmentIngestionModule } from '../../activities/segments/segment-ingestion.notifier';
import { SegmentMembershipModule } from '../../activities/segments/segment-membership.reader';
import { UsersModule } from './users/users.module';
import { TypologiesModule } from './typologies/typologies.module';
import { DecisionsModule } from './decisions/decisions.module';
import { SendTimeModule } from './send-time/send-time.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => ({
        pinoHttp: {
          level: cfg.LOG_LEVEL,
          // Health probes and metric scrapes every few seconds would drown the request log.
          autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics' },
          // API keys never reach the logs.
          redact: ['req.headers.authorization'],
        },
      }),
    }),
    FailFastDatabaseModule,
    PersistenceModule,
    TemporalClientModule,
    AccessModule,
    HealthModule,
    MetricsModule,
    UsersModule,
    EventsModule,
    ImportsModule,
    PredictionsModule,
    SegmentsModule,
    // Segment membership for typology filtering rules that exclude segments.
    SegmentMembershipModule,
    // Users and events stored signal the segments reading them (debounced).
    SegmentIngestionModule,
    ControlGroupModule,
    KeysModule,
    AuditModule,
    TypologiesModule,
    DecisionsModule,
    SendTimeModule,
  ],
  providers: [
    // One error shape for every route.
    { provide: APP_FILTER, useClass: ErrorFilter },
    // In this order: who is calling (key, role), then their ingestion budget.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    // Bodies are read after the guards, within each route's cap; then the handler runs under a Temporal deadline.
    { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: TemporalDeadlineInterceptor },
  ],
})
export class AppModule {}
