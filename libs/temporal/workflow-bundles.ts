import * as path from 'path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger } from '@temporalio/common';
import { TaskQueueName } from '../config/config';
import { projectRoot } from '../config/project-root';

/**
 * One workflow bundle per task queue, each from its own entry (`workflows/ml.ts`,
 * `workflows/journeys.ts`), so a change to ML workflows never redeploys journey workers and the
 * reverse. The build (`npm run build`), the test setup and development workers all bundle through here.
 */
export function workflowEntry(queue: TaskQueueName): string {
  return path.join(projectRoot(), 'workflows', `${queue}.ts`);
}

/** Where a prebuilt bundle of `queue` lives in a bundle folder. */
export function bundleFile(dir: string, queue: TaskQueueName): string {
  return path.join(dir, `workflow-bundle-${queue}.js`);
}

/** The bundle's code (webpack runs: seconds). */
export async function bundleWorkflows(queue: TaskQueueName, logger?: Logger): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowEntry(queue), logger: logger ?? quiet });
  return code;
}

const noop = () => undefined;
/** Warnings and errors only, on stderr (the build script and the test setup have no other logger). */
const quiet: Logger = { trace: noop, debug: noop, info: noop, log: noop, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) };
