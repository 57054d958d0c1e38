/** What the native build contains, as `info()` reports it. */
export interface AddonInfo {
  gemm: 'OpenBLAS' | 'builtin';
  gemmVersion: string;
  gemmCore: string;
  threads: number;
  cudaBuilt: boolean;
  compiler: string;
}

/**
 * Every function the addon exports, typed once. test/native/surface.test.ts checks that
 * each name in ADDON_FUNCTIONS exists on the loaded addon.
 */
export interface NativeAddon {
  info(): AddonInfo;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  gemmF32(
    a: Float32Array, b: Float32Array, c: Float32Array,
    m: number, n: number, k: number,
    transA: boolean, transB: boolean, alpha: number, beta: number,
  ): void;
}

export const ADDON_FUNCTIONS: readonly (keyof NativeAddon)[] = ['info', 'setNumThreads', 'getNumThreads', 'gemmF32'];
