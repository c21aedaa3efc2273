import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEST_BUNDLE_PATH = path.join(ROOT, '.data', 'test', 'workflow-bundle.js');

/**
 * Starts the real Temporal dev server and FerretDB once for the whole run (reusing any already
 * running, or the remote ones TEMPORAL_ADDRESS / MONGODB_URI point at), and bundles the workflows
 * from source once, so every worker process a test starts runs the same code without re-bundling.
 */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'infra.sh'), 'up'], { cwd: ROOT, stdio: 'inherit' });
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  fs.mkdirSync(path.dirname(TEST_BUNDLE_PATH), { recursive: true });
  fs.writeFileSync(TEST_BUNDLE_PATH, code);
}
