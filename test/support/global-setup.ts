import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TASK_QUEUES, TaskQueueName } from '../../libs/config/config';
import { bundleFile, bundleWorkflows } from '../../libs/temporal/workflow-bundles';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The workflow bundles of every task queue, built from source once per run (WORKFLOW_BUNDLE_DIR of test workers). */
export const TEST_BUNDLE_DIR = path.join(ROOT, '.data', 'test');

/**
 * Starts the real Temporal dev server and FerretDB once for the whole run (reusing any already
 * running, or the remote ones TEMPORAL_ADDRESS / MONGODB_URI point at), and bundles the workflows
 * from source once (one bundle per task queue), so every worker process a test starts runs the same code without re-bundling.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'infra.sh'), 'up'], { cwd: ROOT, stdio: 'inherit' });
  fs.mkdirSync(TEST_BUNDLE_DIR, { recursive: true });
  for (const queue of Object.keys(TASK_QUEUES) as TaskQueueName[]) {
    fs.writeFileSync(bundleFile(TEST_BUNDLE_DIR, queue), await bundleWorkflows(queue));
  }
}
