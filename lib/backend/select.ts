import { TensileError } from '../errors.js';
import type { Backend, BackendName } from './backend.js';
import type { NativeAddon } from './native/addon-types.js';
import { nativeBackend } from './native/index.js';
import { loadAddon } from './native/load.js';
import { referenceBackend } from './reference/index.js';

let addonState: { addon: NativeAddon | null; whyNot: string } | undefined;
let active: Backend | undefined;

/** The loaded addon, or null with the reason (loaded once, on first need). */
export function nativeAddon(): NativeAddon | null {
  if (!addonState) {
    const r = loadAddon();
    addonState = 'addon' in r ? { addon: r.addon, whyNot: '' } : { addon: null, whyNot: r.whyNot };
    if (addonState.addon) applyThreadsFromEnv(addonState.addon);
  }
  return addonState.addon;
}

/** Why the native addon did not load ('' when it did). */
export function nativeUnavailableReason(): string {
  nativeAddon();
  return addonState!.whyNot;
}

function applyThreadsFromEnv(addon: NativeAddon): void {
  const env = process.env.TENSILE_NUM_THREADS;
  if (env === undefined || env === '') return;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) {
    process.emitWarning(`TENSILE_NUM_THREADS=${env} is not a positive integer; ignored`, { code: 'TENSILE_THREADS' });
    return;
  }
  addon.setNumThreads(n);
}

function initialBackend(): Backend {
  const wanted = process.env.TENSILE_BACKEND;
  const addon = nativeAddon();
  if (addon) return nativeBackend(addon);
  if (wanted === 'native')
    throw new TensileError('backend', `TENSILE_BACKEND=native but the native addon did not load: ${addonState!.whyNot}`);
  if (wanted !== 'reference') {
    process.emitWarning(
      `tensile: the native addon did not load (${addonState!.whyNot}); using the pure-TypeScript reference backend, ` +
        'which is much slower. Fix: reinstall tensile on linux-x64 (prebuilt binary), or install a C++ compiler, ' +
        'cmake and libopenblas-dev and run `npm rebuild tensile`. Set TENSILE_BACKEND=reference to silence this.',
      { code: 'TENSILE_NO_NATIVE' },
    );
  }
  return referenceBackend;
}

/** The backend every op runs on now. */
export function backend(): Backend {
  return (active ??= initialBackend());
}

/**
 * Which backend computes: 'native' (C++ with BLAS) or 'reference' (pure TypeScript).
 * @example
 * tl.getBackend(); // 'native'
 */
export function getBackend(): BackendName {
  return backend().name;
}

/**
 * Switch backend for all later ops. Throws when 'native' is asked for and did not load.
 * @example
 * tl.setBackend('reference'); // run on the pure-TypeScript oracle
 */
export function setBackend(name: BackendName): void {
  if (name === 'reference') {
    active = referenceBackend;
    return;
  }
  if (name === 'native') {
    const addon = nativeAddon();
    if (!addon) throw new TensileError('setBackend', `the native addon is not available: ${addonState!.whyNot}`);
    active = nativeBackend(addon);
    return;
  }
  throw new TensileError('setBackend', `unknown backend '${String(name)}'; expected 'native' or 'reference'`);
}

/**
 * Set how many threads native kernels (BLAS) use. Default: the number of cores; env TENSILE_NUM_THREADS.
 * @example
 * tl.setNumThreads(1);
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new TensileError('setNumThreads', `n must be a positive integer, got ${n}`);
  nativeAddon()?.setNumThreads(n);
}

/** How many threads native kernels use (1 on the reference backend). */
export function getNumThreads(): number {
  return nativeAddon()?.getNumThreads() ?? 1;
}
