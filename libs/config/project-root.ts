import * as fs from 'fs';
import * as path from 'path';

/** The folder holding package.json, from the sources (libs/config) and the build (dist/libs/config) alike. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`propensity: cannot find the project root (no package.json above ${__dirname})`);
    dir = parent;
  }
  return dir;
}
