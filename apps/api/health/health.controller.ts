import { Controller, Get, Header, Inject } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Connection } from 'mongoose';
import { z } from 'zod';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { Public } from '../access/roles.decorator';
import { DEPENDENCY_RETRY_AFTER_SECONDS } from '../common/dependency-failure';
import { ServiceUnavailableError } from '../common/http-errors';
import { ApiAnswers } from '../common/openapi-responses';
import { ApiMetrics } from '../metrics/api-metrics';

/** Long enough for a busy server, short enough that a probe learns of an outage in about a second or two. */
const PROBE_TIMEOUT_MS = 2000;

const probeSchema = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });
const healthSchema = z.object({ status: z.literal('ok'), mongodb: probeSchema, temporal: probeSchema });
type Probe = z.infer<typeof probeSchema>;

async function probe(fn: () => Promise<unknown>): Promise<Probe> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)));
    await Promise.race([fn(), timeout]);
    return { ok: true, ms: Date.now() - start };
  } catch (err) {
    return { ok: false, ms: Date.now() - start, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** What probes and scrapers call, without a key: health and metrics. */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
  ) {}

  /**
   * Public like /health: Prometheus scrapes without credentials, and the counts name no user, key or
   * prediction. The API listens on loopback unless API_HOST opens it; then keep /metrics off the proxy.
   */
  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics of this API process: requests by route and status, events ingested, process figures' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'MongoDB and Temporal reachable; 503 naming the one(s) down' })
  @ApiAnswers({ schema: healthSchema })
  async check() {
    const [mongodb, temporal] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping()),
      // Under its own deadline: the call ends with the probe instead of retrying on in the background.
      probe(() => this.temporal.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => this.temporal.connection.workflowService.getSystemInfo({}))),
    ]);
    const down = Object.entries({ mongodb, temporal }).filter(([, p]) => !p.ok);
    if (down.length > 0) {
      throw new ServiceUnavailableError(`unavailable: ${down.map(([name, p]) => `${name} (${p.error})`).join(', ')}`, DEPENDENCY_RETRY_AFTER_SECONDS);
    }
    return { status: 'ok' as const, mongodb, temporal };
  }
}
