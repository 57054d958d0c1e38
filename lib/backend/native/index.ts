import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import type { NativeAddon } from './addon-types.js';

/**
 * A thin adapter: one line per kernel, from the Backend interface to the addon's functions.
 * Data movement (slice, gather, ...) is TypedArray.set, already a native memcpy: it is shared.
 */
export function nativeBackend(addon: NativeAddon): Backend {
  return {
    ...referenceBackend,
    name: 'native',
    gemm: (a, b, c, p) => addon.gemmF32(a, b, c, p.m, p.n, p.k, p.transA, p.transB, p.alpha, p.beta),
  };
}
