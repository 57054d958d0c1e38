// The argument kinds of the native bindings, checked by the compiler against their types (addon-types.ts): the one
// list from which the binding names and the fuzzer's argument lists derive.
import type { CudaAddon } from '../cuda/addon-types.js';
import type { NativeAddon } from './addon-types.js';

/** How the fuzzer (test/fuzz/bindings.fuzz.test.ts) draws one argument of a binding. */
export type ArgKind = 'f32' | 'f64' | 'i32' | 'num' | 'bool' | 'str' | 'other';
type KindOf<T> = [T] extends [Float32Array]
  ? 'f32'
  : [T] extends [Float64Array]
    ? 'f64'
    : [T] extends [Int32Array]
      ? 'i32'
      : [T] extends [number]
        ? 'num'
        : [T] extends [boolean]
          ? 'bool'
          : [T] extends [string]
            ? 'str'
            : 'other';
type KindsOf<F> = F extends (...args: infer P) => unknown ? Readonly<{ [I in keyof P]: KindOf<P[I]> }> : never;

/**
 * The argument kinds of every native binding (not the CUDA ones, CUDA_FUNCTIONS): the compiler checks each entry
 * against its NativeAddon signature, and requires one entry per member. ADDON_FUNCTIONS and the fuzzer's arities
 * derive from it. A variadic binding lists the arguments of its smallest useful call.
 */
export const ADDON_SIGNATURES = {
  info: [],
  setNumThreads: ['num'],
  getNumThreads: [],
  denseF32: ['f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  denseBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  conv2dF32: ['f32', 'f32', 'f32', 'f32', 'f64', 'num'],
  conv2dBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f64', 'num'],
  maxPool2dF32: ['f32', 'f32', 'f64'],
  avgPool2dF32: ['f32', 'f32', 'f64'],
  maxPool2dBackwardF32: ['f32', 'f32', 'f32', 'f64'],
  avgPool2dBackwardF32: ['f32', 'f32', 'f64'],
  mlpForwardF32: ['f32', 'f32', 'f64', 'f32', 'f32'], // x, out, dims, then each layer's w and b
  planBegin: [],
  planEnd: ['bool', 'other'],
  planRun: ['other'],
  planRunSteps: ['other', 'num', 'other', 'other', 'i32', 'other'],
  gemmF32: ['f32', 'f32', 'f32', 'num', 'num', 'num', 'bool', 'bool', 'num', 'num'],
  opNames: [],
  unaryF32: ['num', 'f32', 'f32'],
  binaryF32: ['num', 'f32', 'f32', 'f32', 'f64', 'f64', 'f64'],
  whereF32: ['f32', 'f32', 'f32', 'f32', 'f64', 'f64', 'f64', 'f64'],
  broadcastF32: ['f32', 'f32', 'f64', 'f64'],
  reduceF32: ['num', 'f32', 'f32', 'num', 'num', 'num', 'bool'],
  argmaxF32: ['f32', 'f32', 'num', 'num', 'num'],
  softmaxF32: ['f32', 'f32', 'num', 'num', 'bool'],
  crossentropyF32: ['num', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  crossentropyBackwardF32: ['num', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  maskedSoftmaxF32: ['f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  softmaxBackwardF32: ['f32', 'f32', 'f32', 'num', 'num'],
  layerNormF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  layerNormBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num'],
  batchNormF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  batchNormBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num'],
  movingAverageF32: ['f32', 'f32', 'num'],
  bernoulliF32: ['i32', 'f32', 'num', 'num'],
  gemmBatchedF32: ['f32', 'f32', 'f32', 'num', 'num', 'num', 'bool', 'bool', 'num', 'num', 'num', 'num', 'num'],
  transposeF32: ['f32', 'f32', 'f64', 'f64'],
  gatherF32: ['f32', 'i32', 'f32', 'num'],
  scatterAddF32: ['f32', 'i32', 'f32', 'num'],
  adamUpdateF32: ['f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num', 'num', 'num'],
  sgdUpdateF32: ['f32', 'f32', 'f32', 'num', 'num', 'bool'],
  rmspropUpdateF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num', 'bool'],
  adagradUpdateF32: ['f32', 'f32', 'f32', 'num', 'num'],
  applyUpdateF32: ['f64', 'f32', 'f32', 'f32', 'f32', 'f32'],
  lstmCellF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  lstmCellBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  gruCellF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  gruCellBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num', 'num'],
  rnnCellF32: ['f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  rnnCellBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  gruResetGatesF32: ['f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  gruResetCellF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
  gruResetCellBackwardF32: [
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'num',
    'num',
    'num',
    'num',
  ],
  gruResetGatesBackwardF32: ['f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'num', 'num', 'num'],
} as const satisfies { [K in Exclude<keyof NativeAddon, keyof CudaAddon>]: KindsOf<NativeAddon[K]> };

/** Every native binding's name (test/native/surface.test.ts checks each is on the loaded addon). */
export const ADDON_FUNCTIONS = Object.keys(ADDON_SIGNATURES) as readonly (keyof typeof ADDON_SIGNATURES)[];
