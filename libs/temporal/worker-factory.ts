import * as fs from 'fs';
import * as path from 'path';
import { INestApplicationContext, Type } from '@nestjs/common';
import type { Logger } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { AppConfig, taskQueue, TaskQueueName } from '../config/config';
import { projectRoot } from '../config/project-root';
import { bindActivities } from './activity.decorator';
import { connectionOptions } from './connection-options';
import { controlQueue } from './control-queue';
import { bundleFile, bundleWorkflows } from './workflow-bundles';

export type ActivityProvidersByQueue = Record<TaskQueueName, Type<object>[]>;

/**
 * Production runs the bundles `npm run build` wrote (no bundling at start, and the exact code that
 * was replay-tested); development bundles `workflows/<queue>.ts` from source.
 */
async function workflowBundle(cfg: AppConfig, queue: TaskQueueName, logger: Logger): Promise<WorkflowBundleOption> {
  const dir = cfg.WORKFLOW_BUNDLE_DIR ?? (cfg.NODE_ENV === 'production' ? path.join(projectRoot(), 'dist') : undefined);
  if (dir) {
    const codePath = bundleFile(dir, queue);
    if (!fs.existsSync(codePath)) throw new Error(`workflow bundle ${codePath} is missing: run npm run build`);
    return { codePath };
  }
  return { code: await bundleWorkflows(queue, logger) };
}

/** Slots per worker of each queue: ML work is CPU-bound (few at once), journey steps are I/O-bound (many). */
function concurrency(cfg: AppConfig, queue: TaskQueueName) {
  return queue === 'ml'
    ? { maxConcurrentActivityTaskExecutions: cfg.WORKER_ML_MAX_ACTIVITIES, maxConcurrentWorkflowTaskExecutions: cfg.WORKER_ML_MAX_WORKFLOW_TASKS }
    : { maxConcurrentActivityTaskExecutions: cfg.WORKER_JOURNEYS_MAX_ACTIVITIES, maxConcurrentWorkflowTaskExecutions: cfg.WORKER_JOURNEYS_MAX_WORKFLOW_TASKS };
}

export interface QueueWorkerOptions {
  connection: NativeConnection;
  queue: TaskQueueName;
  workflowBundle: WorkflowBundleOption;
  /** The queue's activities, by name. */
  activities: object;
}

/**
 * A queue's two Workers: one with the queue's workflows, its activities and its concurrency; one with
 * the same activities on the queue's control queue, with many slots, for the short steps workflows
 * send there (libs/temporal/control-queue.ts). Run both, or a workflow's control steps wait forever.
 */
export function queueWorkers(cfg: AppConfig, o: QueueWorkerOptions): Promise<[Worker, Worker]> {
  const common = {
    connection: o.connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    activities: o.activities,
    shutdownGraceTime: cfg.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
    ...(cfg.WORKER_HEARTBEAT_THROTTLE_SECONDS ? { maxHeartbeatThrottleInterval: cfg.WORKER_HEARTBEAT_THROTTLE_SECONDS * 1000 } : {}),
  };
  return Promise.all([
    Worker.create({ ...common, taskQueue: taskQueue(cfg, o.queue), workflowBundle: o.workflowBundle, ...concurrency(cfg, o.queue) }),
    Worker.create({ ...common, taskQueue: controlQueue(taskQueue(cfg, o.queue)), maxConcurrentActivityTaskExecutions: cfg.WORKER_CONTROL_MAX_ACTIVITIES }),
  ]);
}

/**
 * The workers of every task queue of WORKER_QUEUES, each queue with its own workflow bundle and the
 * activities of its queue taken from the Nest container (so activities get their repositories and
 * services by injection).
 */
export async function createWorkers(app: INestApplicationContext, cfg: AppConfig, providers: ActivityProvidersByQueue, logger: Logger) {
  const connection = await NativeConnection.connect(connectionOptions(cfg));
  const workers = await Promise.all(
    cfg.WORKER_QUEUES.map(async (queue) =>
      queueWorkers(cfg, {
        connection,
        queue,
        workflowBundle: await workflowBundle(cfg, queue, logger),
        activities: Object.assign({}, ...providers[queue].map((p) => bindActivities(app.get(p)))),
      }),
    ),
  );
  return { connection, workers: workers.flat() };
}

/**
 * Before any connection: the SDK logs (Core's native logs forwarded too) through `logger`, and, when
 * WORKER_METRICS_PORT is set, serves its runtime metrics (task slots, poll and schedule-to-start
 * latencies, activity and workflow task outcomes) for Prometheus on that port's `/metrics`.
 */
export function installRuntime(cfg: AppConfig, logger: Logger): void {
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(cfg.WORKER_METRICS_PORT ? { metrics: { prometheus: { bindAddress: `${cfg.WORKER_METRICS_HOST}:${cfg.WORKER_METRICS_PORT}` } } } : {}),
    },
  });
}
