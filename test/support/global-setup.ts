import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Starts the real Temporal dev server and FerretDB once for the whole run (reusing any already
 * running, or the remote ones that TEMPORAL_ADDRESS / MONGODB_URI point at).
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync('bash', [path.join(root, 'scripts', 'infra.sh'), 'up'], { cwd: root, stdio: 'inherit' });
}
