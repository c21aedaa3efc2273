import * as fs from 'fs';
import * as path from 'path';
import { INestApplicationContext, Type } from '@nestjs/common';
import { bundleWorkflowCode, NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { AppConfig, taskQueue, TaskQueueName } from '../config/config';
import { bindActivities } from './activity.decorator';
import { connectionOptions } from './connection-options';

export type ActivityProvidersByQueue = Record<TaskQueueName, Type<object>[]>;

/**
 * Production runs the bundle `npm run build` wrote (no bundling at start, and the exact code that
 * was replay-tested); development bundles `workflows/` from source once for all workers.
 */
async function workflowBundle(cfg: AppConfig): Promise<WorkflowBundleOption> {
  const prebuilt = cfg.WORKFLOW_BUNDLE_PATH ?? (cfg.NODE_ENV === 'production' ? path.resolve(__dirname, '..', '..', 'workflow-bundle.js') : undefined);
  if (prebuilt) {
    if (!fs.existsSync(prebuilt)) throw new Error(`workflow bundle ${prebuilt} is missing: run npm run build`);
    return { codePath: prebuilt };
  }
  return bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '..', '..', 'workflows'), logger: quietBundlerLogger });
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

/**
 * One Worker per task queue, each with the activities of its queue taken from the Nest container, so
 * activities get their repositories and services by injection.
 */
export async function createWorkers(app: INestApplicationContext, cfg: AppConfig, providers: ActivityProvidersByQueue) {
  const connection = await NativeConnection.connect(connectionOptions(cfg));
  const bundle = await workflowBundle(cfg);
  const workers = await Promise.all(
    (Object.keys(providers) as TaskQueueName[]).map((queue) =>
      Worker.create({
        connection,
        namespace: cfg.TEMPORAL_NAMESPACE,
        taskQueue: taskQueue(cfg, queue),
        workflowBundle: bundle,
        activities: Object.assign({}, ...providers[queue].map((p) => bindActivities(app.get(p)))),
        // Training is CPU-bound: a few at a time per process; scale out with more worker processes.
        maxConcurrentActivityTaskExecutions: queue === 'ml' ? 4 : 50,
        shutdownGraceTime: '30 seconds',
      }),
    ),
  );
  return { connection, workers };
}
