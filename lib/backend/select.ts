import { TensileError } from '../errors.js';
import { setStorageHooks } from './storage.js';
import type { Backend, BackendName } from './backend.js';
import { addonDevice } from './cuda/addon-device.js';
import { cudaBackend } from './cuda/backend.js';
import { cublasCandidates, pythonCublasCandidates } from './cuda/cublas-path.js';
import type { DeviceApi } from './cuda/device.js';
import { Residency } from './cuda/residency.js';
import type { NativeAddon } from './native/addon-types.js';
import { nativeBackend } from './native/index.js';
import { loadAddon } from './native/load.js';
import { checkNoFitRunning } from '../internal/guard.js';
import { referenceBackend } from './reference/index.js';
import { setOverrideInstaller } from './recording.js';

let addonState: { addon: NativeAddon | null; whyNot: string } | undefined;
/** The native backend object, made once: the cuda backend's CPU side and hostBackend() hand it out often. */
let native: Backend | undefined;
const nativeOf = (addon: NativeAddon): Backend => (native ??= nativeBackend(addon));
let active: Backend | undefined;
/** Device copies of tensors, once the cuda backend has been used (they outlive a switch back to the CPU). */
let residency: Residency | undefined;
/** The device the cuda backend runs on, while it is (or was last) active. */
let device: DeviceApi | undefined;
let tf32 = process.env.TENSILE_TF32 === '1';

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
  if (wanted === 'cuda') return cudaFromAddon('TENSILE_BACKEND=cuda');
  const addon = nativeAddon();
  if (addon) return nativeOf(addon);
  if (wanted === 'native')
    throw new TensileError(
      'backend',
      `TENSILE_BACKEND=native but the native addon did not load: ${addonState!.whyNot}`,
    );
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

/**
 * The backend for code that reads and writes arrays in JavaScript between kernels (the recurrent ops):
 * the active one, except that the cuda backend hands over to the CPU (native when loaded). Callers bring
 * their inputs home with syncHost; their outputs are fresh host arrays, uploaded when a device kernel reads them.
 */
export function hostBackend(): Backend {
  const b = backend();
  if (b.name !== 'cuda') return b;
  const addon = nativeAddon();
  return addon ? nativeOf(addon) : referenceBackend;
}

/**
 * Wait until the GPU has finished all queued work (kernels run asynchronously on the cuda backend; reading
 * values waits by itself). For timing GPU code; a no-op on the CPU backends.
 * @example
 * const t0 = performance.now(); y = tl.matmul(a, b); tl.synchronize(); const ms = performance.now() - t0;
 */
export function synchronize(): void {
  if (backend().name === 'cuda') device?.synchronize();
}

/** A backend put in front of the active one while a step is recorded (recording.ts). */
let override: Backend | null = null;
setOverrideInstaller((b) => {
  override = b;
});

/** The backend every op runs on now. */
export function backend(): Backend {
  return override ?? (active ??= initialBackend());
}

/** The active backend itself, never a recording in front of it. */
export function activeBackend(): Backend {
  return (active ??= initialBackend());
}

/**
 * Why the cuda backend cannot run here, or '' when it can (loads cuBLAS on the way).
 * @example
 * if (tl.cudaUnavailableReason() === '') tl.setBackend('cuda');
 */
export function cudaUnavailableReason(): string {
  const addon = nativeAddon();
  if (!addon) return `the native addon did not load: ${addonState!.whyNot}`;
  const info = addon.cudaInfo();
  if (!info.built)
    return 'tensile was built without CUDA (rebuild with the CUDA toolkit installed: npm rebuild tensile)';
  if (info.status !== 'ok') return `no usable CUDA driver or GPU: ${info.status}`;
  if (info.devices.length === 0) return 'no CUDA device found';
  let cublas = addon.cudaLoadCublas(cublasCandidates());
  if (!cublas.loaded) {
    const more = pythonCublasCandidates();
    if (more.length) cublas = addon.cudaLoadCublas(more);
  }
  if (!cublas.loaded) return `${cublas.error} (set TENSILE_CUBLAS_PATH to the folder holding libcublas.so.13)`;
  return '';
}

function cudaFromAddon(op: string): Backend {
  const why = cudaUnavailableReason();
  if (why) throw new TensileError(op, `the cuda backend is not available: ${why}`);
  const addon = nativeAddon()!;
  return useDevice(addonDevice(addon, { tf32: () => tf32 }), nativeOf(addon));
}

/**
 * @internal The cuda backend over a given device (tests pass an in-memory one); `cpu` runs what has no device kernel.
 * Installs the storage hooks that keep host reads current.
 */
export function useDevice(dev: DeviceApi, cpu: Backend = referenceBackend): Backend {
  residency?.syncAll();
  residency = new Residency(dev);
  device = dev;
  setStorageHooks(residency);
  active = cudaBackend(dev, residency, cpu);
  return active;
}

/**
 * Which backend computes: 'native' (C++ with BLAS), 'reference' (pure TypeScript) or 'cuda' (an NVIDIA GPU).
 * @example
 * tl.getBackend(); // 'native'
 */
export function getBackend(): BackendName {
  return backend().name;
}

/**
 * Switch backend for all later ops. Throws when the one asked for is not available here, saying why.
 * 'cuda' keeps tensors on the GPU between ops (values cross only on dataSync()/arraySync()/item() and
 * save); `tf32: true` lets cuBLAS use TF32 tensor cores for float32 GEMM (faster, ~1e-3 relative error).
 * Switching from 'cuda' to a CPU backend first brings every tensor's values home.
 * @example
 * tl.setBackend('reference'); // run on the pure-TypeScript oracle
 * tl.setBackend('cuda', { tf32: true });
 */
export function setBackend(name: BackendName, options: { tf32?: boolean } = {}): void {
  checkNoFitRunning('setBackend');
  if (options.tf32 !== undefined) tf32 = options.tf32 === true;
  if (name === 'cuda') {
    if (active?.name !== 'cuda') active = cudaFromAddon('setBackend');
    return;
  }
  if (active?.name === 'cuda') residency?.syncAll();
  if (name === 'reference') {
    active = referenceBackend;
    return;
  }
  if (name === 'native') {
    const addon = nativeAddon();
    if (!addon) throw new TensileError('setBackend', `the native addon is not available: ${addonState!.whyNot}`);
    active = nativeOf(addon);
    return;
  }
  throw new TensileError('setBackend', `unknown backend '${String(name)}'; expected 'native', 'reference' or 'cuda'`);
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
