import { Global, Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** GET /metrics and the counters the rest of the API increments. */
@Global()
@Module({ controllers: [MetricsController], providers: [ApiMetrics], exports: [ApiMetrics] })
export class MetricsModule {}
