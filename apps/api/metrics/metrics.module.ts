import { Global, Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';

/** This process's Prometheus registry and counters, for the routes that count (served by GET /metrics). */
@Global()
@Module({ providers: [ApiMetrics], exports: [ApiMetrics] })
export class MetricsModule {}
