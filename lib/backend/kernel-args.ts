import type { DenseActivation, RnnActivation } from './kinds.js';

// The arguments of the Backend's kernels (backend.ts): sizes, strides, gradient targets, optimizer steps.

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

/**
 * An optimizer's update as data (Backend.applyUpdate takes it encoded: update-rule.ts). Slots per parameter, in
 * this order: adam m, v; sgd velocity (empty when momentum is 0); rmsprop ms, mom, mg (as rmspropUpdate); adagrad
 * acc.
 */
export type UpdateRule =
  | { readonly kind: 'adam'; readonly h: AdamStep }
  | { readonly kind: 'sgd'; readonly h: SgdStep }
  | { readonly kind: 'rmsprop'; readonly h: RmspropStep }
  | { readonly kind: 'adagrad'; readonly h: AdagradStep };

/** A batch of GEMMs: operand i of a starts at i·strideA, of b at i·strideB (0: shared); c is contiguous. */
export interface BatchStrides {
  readonly batch: number;
  readonly strideA: number;
  readonly strideB: number;
}

/** Where layer normalization's gradients go; an empty array means "not needed". */
export interface LayerNormGrads {
  readonly dx: Float32Array;
  readonly dgamma: Float32Array;
  readonly dbeta: Float32Array;
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

/**
 * A 2-D convolution's geometry: x [n, h, w, c] (NHWC), kernel [kh, kw, c, cout], out [n, oh, ow, cout].
 * Output pixel (oy, ox) reads input rows oy·strideH − padTop + ky·dilationH (likewise columns); reads outside the input are zeros.
 */
export interface Conv2dDims {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly cout: number;
  readonly oh: number;
  readonly ow: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Where a convolution's gradients go; an empty array means "not needed". */
export interface Conv2dGrads {
  readonly dx: Float32Array;
  readonly dw: Float32Array;
  readonly db: Float32Array;
}

/** A 2-D pooling window's geometry: x [n, h, w, c], out [n, oh, ow, c]; padding is never part of a window (max ignores it, avg does not count it). */
export interface Pool2dDims {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

export type PoolKind = 'max' | 'avg';

/** One recurrent step's sizes: state buffers are [batch, units], gate buffers [batch, gates·units]. */
export interface RnnStepDims {
  readonly batch: number;
  readonly units: number;
}

/** The activations of a recurrent cell: act (candidate and output), recAct (the gates). */
export interface RnnActs {
  readonly act: RnnActivation;
  readonly recAct: RnnActivation;
}

/** One dense layer of a stack's inference forward (Backend.mlpForward): w [k, n], b [n] or empty. */
export interface MlpForwardLayer {
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly k: number;
  readonly n: number;
  readonly act: DenseActivation;
}

/** Keras' binary (mean over columns) or categorical (sum over columns, p normalised first) crossentropy. */
export type CrossentropyKind = 'binary' | 'categorical';
