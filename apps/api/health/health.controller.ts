import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client } from '@temporalio/client';
import { Connection } from 'mongoose';
import { TEMPORAL_CLIENT } from '../../../libs/temporal/temporal-client.module';

async function probe(fn: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const start = Date.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3000))]);
    return { ok: true, ms: Date.now() - start };
  } catch (err) {
    return { ok: false, ms: Date.now() - start, error: (err as Error).message };
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
  @ApiOperation({ summary: 'MongoDB and Temporal reachable (503 when either is not)' })
  async check() {
    const [mongodb, temporal] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping()),
      probe(() => this.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const body = { status: mongodb.ok && temporal.ok ? 'ok' : 'unavailable', mongodb, temporal };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}
