import * as fs from 'fs';
import * as path from 'path';

function projectRoot(): string {
  // Works from source (libs/ml/datasets) and from the build (dist/libs/ml/datasets) alike.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('propensity: cannot find the project root (no package.json above ' + __dirname + ')');
    dir = parent;
  }
  return dir;
}

/**
 * Path into the shared data sets (`../shared/data` beside the project root), used in place.
 * `PROPENSITY_DATA_DIR` overrides it for checkouts that keep the data elsewhere.
 */
export function sharedDataPath(...parts: string[]): string {
  const root = process.env.PROPENSITY_DATA_DIR ?? path.resolve(projectRoot(), '..', 'shared', 'data');
  return path.join(root, ...parts);
}
