import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file of this repository by its path from the root (the nearest directory above this module with a
 * package.json): the same file whether this module runs from src/ or inlined in the bundle under dist/server/.
 * For worker threads' scripts, which run as separate files.
 */
export function projectFile(...path: string[]): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, ...path);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}
