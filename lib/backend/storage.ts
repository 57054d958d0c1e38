/**
 * Where a tensor's values live. On the CPU backends they live in the tensor's Float32Array and these
 * hooks do nothing. The cuda backend keeps a device copy next to that array and installs hooks so that
 * code reading values in JavaScript gets current ones (`syncHost`, which `Tensor.data` calls), code writing them in JavaScript
 * invalidates the device copy (`hostWritten`), and `dispose()` frees device memory early.
 * Kernels never need the hooks: backends see the arrays and know where their current copy is.
 */
export interface StorageHooks {
  /** Bring the host array up to date (download) if the device copy is newer. */
  syncHost(a: Float32Array): void;
  /** JavaScript wrote into the host array: the device copy, if any, is stale. */
  hostWritten(a: Float32Array): void;
  /** Free the device copy now; later use of the array as a kernel input throws. */
  release(a: Float32Array): void;
}

let hooks: StorageHooks | null = null;

/** @internal Installed by the cuda backend (once used, it stays: device copies outlive a backend switch). */
export function setStorageHooks(h: StorageHooks | null): void {
  hooks = h;
}

/** @internal The current values of a raw array, for code that reads them in JavaScript. */
export function syncHost(a: Float32Array): Float32Array {
  if (hooks) hooks.syncHost(a);
  return a;
}

/** @internal Call after writing a raw array in JavaScript (not through a backend kernel). */
export function hostWritten(a: Float32Array): void {
  if (hooks) hooks.hostWritten(a);
}

/** @internal */
export function releaseStorage(a: Float32Array): void {
  if (hooks) hooks.release(a);
}
