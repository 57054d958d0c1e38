import type { Backend, CompiledCalls, KernelCall, KernelPlans } from '../backend.js';
import type { NativeAddon, NativePlan } from './addon-types.js';
import type { NATIVE_MIN } from './index.js';

/** The kernels a native plan can keep: every native one but gather/scatterAdd (their index checks read the data). */
const KEPT = new Set<string>([
  'gemm',
  'gemmBatched',
  'unary',
  'binary',
  'where',
  'broadcast',
  'reduce',
  'argmax',
  'softmax',
  'maskedSoftmax',
  'softmaxBackward',
  'layerNorm',
  'layerNormBackward',
  'batchNorm',
  'batchNormBackward',
  'movingAverage',
  'bernoulli',
  'transpose',
  'dense',
  'denseBackward',
  'conv2d',
  'conv2dBackward',
  'pool2d',
  'pool2dBackward',
  'lstmCell',
  'lstmCellBackward',
  'gruCell',
  'gruCellBackward',
  'rnnCell',
  'rnnCellBackward',
  'gruResetGates',
  'gruResetCell',
  'gruResetCellBackward',
  'gruResetGatesBackward',
  'applyUpdate',
  'crossentropy',
  'crossentropyBackward',
]);

const len = (a: unknown): number => (a as Float32Array).length;
const NO_ROWS = new Int32Array(0);

/**
 * Whether the adapter sends this call to the addon rather than to the reference kernel: the size rules of
 * nativeBackend (NATIVE_MIN), so that a plan runs each call on the very kernel the call by call step runs
 * (test/native/plans.test.ts checks the two agree).
 */
export function runsNatively(call: KernelCall, min: { readonly [K in keyof typeof NATIVE_MIN]: number }): boolean {
  const a = call.args;
  switch (call.method) {
    case 'unary':
      return len(a[2]) >= min.unary;
    case 'binary':
    case 'where':
      return len(a[3]) >= min.binary;
    case 'broadcast':
      return len(a[1]) >= min.binary;
    case 'reduce':
      return len(a[1]) >= min.reduce;
    case 'argmax':
      return len(a[0]) >= min.reduce;
    case 'softmax':
    case 'softmaxBackward':
      return len(a[0]) >= min.softmax;
    case 'maskedSoftmax':
      return len(a[0]) >= min.softmax || len(a[1]) > 0;
    case 'crossentropy':
    case 'crossentropyBackward':
      return false; // the reference's, at every size (cheaper in JS than a crossing at a loss's sizes)
    default:
      return KEPT.has(call.method);
  }
}

/** Unary ops whose native kernel gives the reference's bits (the others differ in the last bits: exp, log...). */
const EXACT_UNARY = new Set<unknown>(['neg', 'sqrt', 'abs', 'square', 'relu', 'step', 'sign']);

/**
 * Whether the addon has a kernel with the reference's arithmetic, to the bit, for a call that the adapter sends to
 * the reference (below NATIVE_MIN, crossentropy): float32 element-wise arithmetic rounds the same in both (pow,
 * exp and the like excepted), sums in the reference's order (reduce's `ordered`), the crossentropies with
 * JavaScript's log (kernels/cpu/crossentropy.h). test/native/plans.test.ts holds each to the reference's bits.
 */
export function sameBitsNatively(call: KernelCall): boolean {
  switch (call.method) {
    case 'unary':
      return EXACT_UNARY.has(call.args[0]);
    case 'binary':
      return call.args[0] !== 'pow';
    case 'where':
    case 'broadcast':
    case 'reduce':
    case 'argmax':
    case 'crossentropy':
    case 'crossentropyBackward':
      return true;
    default:
      return false;
  }
}

/**
 * Native plans: a run of kernel calls validated once by the addon's bindings (planBegin … planEnd) and then run
 * as one N-API call, with no argument checks or crossings between kernels. A step of small kernels spends most
 * of its time in those (about 0.4–1.4 µs a call at W7's sizes); a plan spends it on the arithmetic.
 */
export function nativePlans(
  addon: NativeAddon,
  backend: () => Backend,
  min: { readonly [K in keyof typeof NATIVE_MIN]: number },
  exact: () => Backend,
): KernelPlans {
  type Kernels = Record<string, (...args: readonly unknown[]) => unknown>;
  return {
    accepts: (call) => KEPT.has(call.method) && (runsNatively(call, min) || sameBitsNatively(call)),
    compile(calls): CompiledCalls {
      const k = backend() as unknown as Kernels,
        e = exact() as unknown as Kernels;
      let plan: NativePlan | null = null;
      addon.planBegin();
      try {
        // the kernel the call by call step runs, or the addon's one with the reference's bits
        for (const c of calls) (runsNatively(c, min) ? k : e)[c.method](...c.args);
        // the plan holds every array its calls point into: none is collected (or pooled) while it lives
        plan = addon.planEnd(
          true,
          calls.map((c) => c.args),
        );
      } finally {
        if (!plan) addon.planEnd(false);
      }
      const p = plan!;
      return {
        run: () => addon.planRun(p),
        runSteps: (steps, io) =>
          addon.planRunSteps(p, steps, io.feeds, io.collects, io.rows ?? NO_ROWS, io.gathers ?? []),
      };
    },
  };
}
