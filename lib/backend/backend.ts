import type { BroadcastPlan } from '../tensor/broadcast.js';
import type { BinaryOp, DenseActivation, ReduceOp, UnaryOp } from './kinds.js';

/** What a GEMM call multiplies: op(A) is m×k, op(B) is k×n, C is m×n, all row-major and contiguous. */
export interface GemmParams {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** A is stored k×m and used transposed. */
  readonly transA: boolean;
  /** B is stored n×k and used transposed. */
  readonly transB: boolean;
  readonly alpha: number;
  readonly beta: number;
}

/** A reduction's view of its input: [outer, n, inner], reducing the middle axis to [outer, inner]. */
export interface ReduceDims {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

/** One Adam step (t counts from 1). weightDecay > 0 makes it AdamW: w −= lr·wd·w first (decoupled). */
export interface AdamStep {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly t: number;
  readonly weightDecay: number;
}

/** SGD: v = momentum·v − lr·g; w += v (nesterov: w += momentum·v − lr·g); momentum 0 is plain w −= lr·g. */
export interface SgdStep {
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
}

/** RMSprop (Keras): ms = rho·ms + (1−rho)·g²; [centered: mg = rho·mg + (1−rho)·g; ms − mg²]; inc = lr·g/√(ms + ε); mom = momentum·mom + inc; w −= mom. */
export interface RmspropStep {
  readonly lr: number;
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
}

/** Adagrad (Keras): acc += g²; w −= lr·g/√(acc + ε). */
export interface AdagradStep {
  readonly lr: number;
  readonly epsilon: number;
}

/** A dense layer's sizes: x [m, k], w [k, n], output [m, n]. */
export interface DenseDims {
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/** Where a dense layer's gradients go; an empty array means "not needed". */
export interface DenseGrads {
  readonly dx: Float32Array;
  readonly dw: Float32Array;
  readonly db: Float32Array;
}

/** Keras' binary (mean over columns) or categorical (sum over columns, p normalised first) crossentropy. */
export type CrossentropyKind = 'binary' | 'categorical';

export type BackendName = 'reference' | 'native';

/**
 * One typed method per kernel. Kernels see Float32Arrays and sizes, never Tensors;
 * the caller allocates every output and has validated every shape.
 */
export interface Backend {
  readonly name: BackendName;
  /** c = alpha·op(a)·op(b) + beta·c (with beta = 0, c is not read: NaN in c does not leak). */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams): void;
  /** out[i] = f(x[i]). */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array): void;
  /** out = f(a, b) over plan.shape, each operand read through its plan strides (0 where broadcast). */
  binary(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, plan: BroadcastPlan): void;
  /** out = cond ≠ 0 ? a : b, broadcast like binary (plan strides: cond, a, b). */
  where(cond: Float32Array, a: Float32Array, b: Float32Array, out: Float32Array, plan: BroadcastPlan): void;
  /** out = x read through plan.strides[0] (broadcastTo). */
  broadcast(x: Float32Array, out: Float32Array, plan: BroadcastPlan): void;
  /** Reduce the middle axis of [outer, n, inner] into out [outer, inner]. */
  reduce(op: ReduceOp, x: Float32Array, out: Float32Array, d: ReduceDims): void;
  /** Index of the first maximum along the middle axis, as floats. */
  argmax(x: Float32Array, out: Float32Array, d: ReduceDims): void;
  /** Row-wise (log-)softmax of a [rows, cols] matrix, shifted by the row max. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): void;
  /** out = x with axes permuted: out axis i is x axis perm[i]. */
  transpose(x: Float32Array, out: Float32Array, shape: readonly number[], perm: readonly number[]): void;
  /** out row r = x row indices[r], rows of rowSize elements. */
  gather(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  /** out row indices[r] += x row r (out is zeroed by the caller). */
  scatterAdd(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  /** Copy a box of x: out[i] = x[begin + i] in every dimension. */
  slice(x: Float32Array, xShape: readonly number[], begin: readonly number[], out: Float32Array, outShape: readonly number[]): void;
  /** The inverse of slice: write x into the box of out starting at begin (the rest of out is left alone). */
  unslice(x: Float32Array, xShape: readonly number[], begin: readonly number[], out: Float32Array, outShape: readonly number[]): void;

  /** out = act(x·w + b): the GEMM, bias and activation of a dense layer in one pass (b empty: no bias). */
  dense(x: Float32Array, w: Float32Array, b: Float32Array, out: Float32Array, d: DenseDims, act: DenseActivation): void;
  /** Gradients of dense from its output y and dy: dPre = dy ⊙ act'(y), dw = xᵀ·dPre, db = Σ dPre, dx = dPre·wᵀ. */
  denseBackward(x: Float32Array, w: Float32Array, y: Float32Array, dy: Float32Array, g: DenseGrads, d: DenseDims, act: DenseActivation): void;

  /** Per-row crossentropy of probabilities p against targets y ([rows, cols] → out [rows]), p clipped to [eps, 1 − eps]. */
  crossentropy(kind: CrossentropyKind, y: Float32Array, p: Float32Array, out: Float32Array, rows: number, cols: number, eps: number): void;
  /** Its exact gradient with respect to p, scaled by dy [rows]. */
  crossentropyBackward(kind: CrossentropyKind, y: Float32Array, p: Float32Array, dy: Float32Array, dp: Float32Array, rows: number, cols: number, eps: number): void;

  // Fused optimizer updates: one pass per variable, writing param and slots in place (the names say so).
  adamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, h: AdamStep): void;
  /** velocity is empty when momentum is 0. */
  sgdUpdate(param: Float32Array, grad: Float32Array, velocity: Float32Array, h: SgdStep): void;
  /** mg is empty unless centered; mom is empty when momentum is 0. */
  rmspropUpdate(param: Float32Array, grad: Float32Array, ms: Float32Array, mom: Float32Array, mg: Float32Array, h: RmspropStep): void;
  adagradUpdate(param: Float32Array, grad: Float32Array, acc: Float32Array, h: AdagradStep): void;
}
