import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig, taskQueue } from '../../libs/config/config';
import { createWorkers } from '../../libs/temporal/worker-factory';
import { ACTIVITIES_BY_QUEUE, WorkerModule } from './worker.module';

/**
 * Temporal workers, no HTTP. SIGTERM/SIGINT make the SDK shut the workers down gracefully: no new
 * tasks are taken, in-flight activities get the grace time to finish, then heartbeat timeouts hand
 * anything unfinished to another worker.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const cfg = app.get<AppConfig>(APP_CONFIG);
  const { connection, workers } = await createWorkers(app, cfg, ACTIVITIES_BY_QUEUE);
  const queues = Object.keys(ACTIVITIES_BY_QUEUE).map((q) => taskQueue(cfg, q as keyof typeof ACTIVITIES_BY_QUEUE));
  console.log(JSON.stringify({ level: 'info', msg: 'worker started', pid: process.pid, taskQueues: queues, namespace: cfg.TEMPORAL_NAMESPACE }));
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await connection.close();
    await app.close();
    console.log(JSON.stringify({ level: 'info', msg: 'worker stopped', pid: process.pid }));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
