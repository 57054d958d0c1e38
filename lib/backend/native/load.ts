import { createRequire } from 'node:module';
import type { NativeAddon } from './addon-types.js';
import { packageRoot } from '../../internal/package-root.js';

export type LoadResult = { addon: NativeAddon } | { whyNot: string };

/** The only place that knows the addon exists: node-gyp-build finds build/Release or prebuilds/. */
export function loadAddon(): LoadResult {
  if (process.env.TENSILE_BACKEND === 'reference') return { whyNot: 'TENSILE_BACKEND=reference is set' };
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    return { addon: nodeGypBuild(packageRoot()) as NativeAddon };
  } catch (err) {
    return { whyNot: (err as Error).message.split('\n')[0] };
  }
}
