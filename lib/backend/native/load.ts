import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { NativeAddon } from './addon-types.js';
import { packageRoot } from '../../internal/package-root.js';

export type LoadResult = { addon: NativeAddon } | { whyNot: string };

/** The only place that knows the addon exists: node-gyp-build finds build/Release or prebuilds/ (env TENSILE_ADDON_PATH: that .node file). */
export function loadAddon(): LoadResult {
  if (process.env.TENSILE_BACKEND === 'reference') return { whyNot: 'TENSILE_BACKEND=reference is set' };
  try {
    const require = createRequire(import.meta.url);
    // A specific build (e.g. the sanitizer build of scripts/sanitize.sh) instead of the one node-gyp-build finds.
    const path = process.env.TENSILE_ADDON_PATH;
    if (path) return { addon: require(resolve(path)) as NativeAddon };
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    return { addon: nodeGypBuild(packageRoot()) as NativeAddon };
  } catch (err) {
    return { whyNot: (err as Error).message.split('\n')[0] };
  }
}
