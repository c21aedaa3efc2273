import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../access/roles.decorator';
import { ApiMetrics } from './api-metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(ApiMetrics) private readonly metrics: ApiMetrics) {}

  /**
   * Public like /health: Prometheus scrapes without credentials, and the counts name no user, key or
   * prediction. The API listens on loopback unless API_HOST opens it; then keep /metrics off the proxy.
   */
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics of this API process: requests by route and status, events ingested, process figures' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format', schema: { type: 'string' } })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
