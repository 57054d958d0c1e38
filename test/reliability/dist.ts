// The built package (dist/index.mjs), for suites that need plain JavaScript: worker threads and child processes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ensureBuilt, root } from '../package/built.js';

/** The file URL of dist/index.mjs, building dist/ first when it is missing. */
export async function distUrl(): Promise<string> {
  try {
    await ensureBuilt('build:ts', DIST);
  } catch (err) {
    // The type-declaration step may fail on a file unrelated to the bundles; the bundles are all we need.
    if (!existsSync(join(root, 'dist/index.mjs'))) throw err;
  }
  return pathToFileURL(join(root, 'dist/index.mjs')).href;
}
