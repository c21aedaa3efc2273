import { Controller, Get, Inject } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Connection } from 'mongoose';
import { z } from 'zod';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';
import { Public } from '../access/roles.decorator';
import { DEPENDENCY_RETRY_AFTER_SECONDS } from '../common/dependency-failure';
import { ServiceUnavailableError } from '../common/http-errors';
import { ApiAnswers } from '../common/openapi-responses';

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

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Get()
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
