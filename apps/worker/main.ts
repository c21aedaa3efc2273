import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, taskQueue } from '../../libs/config/config';
import { controlQueue } from '../../libs/temporal/control-queue';
import { createWorkers, installRuntime } from '../../libs/temporal/worker-factory';
import { nestLogger, temporalLogger, workerLogger } from './logging';
import { ACTIVITIES_BY_QUEUE, WorkerModule } from './worker.module';

/**
 * Temporal workers for the task queues of WORKER_QUEUES, no HTTP (but the SDK's /metrics when
 * WORKER_METRICS_PORT is set). SIGTERM/SIGINT make the SDK shut the workers down gracefully: no new
 * tasks are taken, in-flight activities get WORKER_SHUTDOWN_GRACE_SECONDS to finish, then they are
 * cancelled (a training's thread ends) and their attempt fails, so the server retries them elsewhere.
 */
async function main(): Promise<void> {
  const cfg = loadConfig();
  const logger = workerLogger(cfg);
  try {
    installRuntime(cfg, temporalLogger(logger));
    const app = await NestFactory.createApplicationContext(WorkerModule, { logger: nestLogger(logger) });
    const { connection, workers } = await createWorkers(app, cfg, ACTIVITIES_BY_QUEUE, temporalLogger(logger));
    logger.info(
      {
        taskQueues: cfg.WORKER_QUEUES.map((q) => taskQueue(cfg, q)),
        controlQueues: cfg.WORKER_QUEUES.map((q) => controlQueue(taskQueue(cfg, q))),
        namespace: cfg.TEMPORAL_NAMESPACE,
        metrics: cfg.WORKER_METRICS_PORT ? `http://${cfg.WORKER_METRICS_HOST}:${cfg.WORKER_METRICS_PORT}/metrics` : null,
        mlThreads: cfg.ML_THREADS,
      },
      'worker started',
    );
    try {
      await Promise.all(workers.map((w) => w.run()));
    } finally {
      await connection.close();
      await app.close();
      logger.info('worker stopped');
    }
  } catch (err) {
    logger.fatal({ err }, 'worker failed');
    process.exit(1);
  }
}

void main();
