// tensile/tfjs: the names and signatures of @tensorflow/tfjs(-node) over tensile's engine, so that a tfjs
// program runs with one changed import. Tensors are tensile Tensors (their methods included); what differs
// from tfjs is listed in README ("tfjs programs that run unchanged").
import '../ops/methods.js';
import { TensileError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { getBackend as coreGetBackend } from '../backend/index.js';
import { shuffleInPlace } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';

export { Tensor, TensileError };
export { Tensor as Scalar, Tensor as Tensor1D, Tensor as Tensor2D, Tensor as Tensor3D, Tensor as Tensor4D };
export {
  add,
  sub,
  mul,
  pow,
  maximum,
  minimum,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  neg,
  exp,
  log,
  sqrt,
  abs,
  relu,
  sigmoid,
  tanh,
  reshape,
  transpose,
  concat,
  gather,
  where,
  broadcastTo,
  cast,
  expandDims,
  squeeze,
  stack,
  unstack,
  split,
  tile,
  logicalAnd,
  logicalOr,
  logicalNot,
  logicalXor,
  notEqual,
  oneHot,
  cumsum,
  topk,
  gatherND,
  multinomial,
  range,
  linspace,
  randomNormal,
  randomUniform,
  truncatedNormal,
  setSeed,
} from '../index.js';
export {
  sum,
  mean,
  max,
  min,
  argMax,
  argMin,
  matMul,
  slice,
  softmax,
  logSoftmax,
  clipByValue,
  pad,
  moments,
  square,
  sign,
  reciprocal,
  squaredDifference,
  norm,
  losses,
  metrics,
} from './ops.js';
export { div, floorDiv } from './divide.js';
export { conv2d, depthwiseConv2d, conv2dTranspose, maxPool, avgPool } from './conv.js';
export {
  tensor,
  tensor1d,
  tensor2d,
  tensor3d,
  tensor4d,
  tensor5d,
  tensor6d,
  scalar,
  zeros,
  ones,
  fill,
  zerosLike,
  onesLike,
  clone,
  buffer,
  TensorBuffer,
  variable,
  Variable,
} from './creation.js';
export { train, grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './train.js';
export { sequential, loadLayersModel, TfjsSequential as Sequential, TfjsSequential as LayersModel } from './model.js';
export * as layers from '../layers/index.js';
export * as regularizers from '../regularizers/index.js';
export * as constraints from '../constraints/index.js';
export * as data from './data.js';
export { callbacks } from '../models/index.js';

// ---- memory: the CPU tensors belong to the garbage collector ---------------------------------------
type Container = Tensor | { [k: string]: Container } | Container[] | unknown;
/** tf.tidy: runs fn and returns its result (CPU memory is the garbage collector's; cuda frees on collection or dispose). */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (typeof f !== 'function') throw new TensileError('tidy', 'expects a function');
  return f();
}
/** tf.keep: the tensor itself (nothing is freed behind the program's back). */
export const keep = <T>(t: T): T => t;
/** tf.dispose: frees device memory of the tensors in a tensor, list or object now (cuda); nothing to do on the CPU. */
export function dispose(x: Container): void {
  if (x instanceof Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(dispose);
  else if (x && typeof x === 'object') Object.values(x).forEach(dispose);
}
/** tf.memory: tensile does not count tensors (the garbage collector owns them); `unreliable` says so, as tfjs does. */
export const memory = () => ({
  numTensors: 0,
  numDataBuffers: 0,
  numBytes: 0,
  unreliable: true,
  reasons: ['tensile tensors are garbage-collected'],
});

// ---- backend and environment -------------------------------------------------------------------------
export const getBackend = (): string => coreGetBackend();
/** tf.setBackend: tensile picks its own backend (TENSILE_BACKEND, tl.setBackend); tfjs' names are accepted and change nothing. */
export const setBackend = async (_name: string): Promise<boolean> => true;
export const ready = async (): Promise<void> => {};
export const nextFrame = (): Promise<void> => new Promise((r) => setImmediate(r));
export const enableProdMode = (): void => {};
export const version = { tfjs: '4.22.0 (tensile/tfjs)', 'tfjs-core': '4.22.0 (tensile/tfjs)' };

// ---- tf.util ---------------------------------------------------------------------------------------------
export const util = {
  assert(expr: boolean, msg: string | (() => string)): void {
    if (!expr) throw new Error(typeof msg === 'string' ? msg : msg());
  },
  /** Fisher–Yates in place, from tensile's seeded stream. */
  shuffle<T>(array: T[] | Uint32Array | Int32Array | Float32Array): void {
    const order = Array.from({ length: array.length }, (_, i) => i);
    shuffleInPlace(order);
    const copy = Array.from(array as ArrayLike<T>);
    order.forEach((from, i) => ((array as T[])[i] = copy[from]));
  },
  sizeFromShape: (shape: readonly number[]): number => sizeOf(shape),
  now: (): number => performance.now(),
  flatten: <T>(arr: unknown[]): T[] => arr.flat(Infinity) as T[],
  isTypedArray: (a: unknown): boolean => ArrayBuffer.isView(a) && !(a instanceof DataView),
};

// ---- browser-only and not-yet APIs: refused with the Node way ----------------------------------------
const refuse = (api: string, instead: string) => (): never => {
  throw new TensileError(api, `is not available in Node: ${instead}`);
};
export const browser = {
  fromPixels: refuse(
    'tf.browser.fromPixels',
    'decode images with an image library (e.g. sharp) and pass the pixels to tf.tensor3d',
  ),
  fromPixelsAsync: refuse(
    'tf.browser.fromPixelsAsync',
    'decode images with an image library (e.g. sharp) and pass the pixels to tf.tensor3d',
  ),
  toPixels: refuse('tf.browser.toPixels', 'read the values with dataSync() and encode them with an image library'),
  draw: refuse('tf.browser.draw', 'read the values with dataSync() and encode them with an image library'),
};
export const webgl = {
  forceHalfFloat: refuse('tf.webgl', "tensile runs on its native CPU backend or CUDA: tl.setBackend('cuda')"),
};
export const node = {
  tensorBoard: refuse(
    'tf.node.tensorBoard',
    'tensile has no TensorBoard writer yet; log with a callback { onEpochEnd(epoch, logs) }',
  ),
  decodeImage: refuse(
    'tf.node.decodeImage',
    'decode images with an image library (e.g. sharp) and pass the pixels to tf.tensor3d',
  ),
};
/** tf.model (the functional API) is not part of this entry point yet: use tf.sequential. */
export const model = refuse(
  'tf.model',
  'the functional API is not in tensile/tfjs yet; build the model with tf.sequential',
);
export const input = refuse(
  'tf.input',
  'the functional API is not in tensile/tfjs yet; give the first layer an inputShape',
);
