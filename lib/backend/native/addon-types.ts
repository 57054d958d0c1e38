import type { CudaAddon } from '../cuda/addon-types.js';

/** What the native build contains, as `info()` reports it. */
export interface AddonInfo {
  /** The BLAS linked: OpenBLAS, or only the built-in kernel. */
  gemm: 'OpenBLAS' | 'builtin';
  gemmVersion: string;
  gemmCore: string;
  /** The built-in kernel's ISA (generic, avx2, avx512); it is in every build. */
  gemmBuiltinIsa: string;
  /** The kernel of products with m, n > 1, and of matrix-vector products (m = 1 or n = 1). */
  gemmProducts: 'OpenBLAS' | 'builtin';
  gemmVectors: 'OpenBLAS' | 'builtin';
  /** Why: the rule that chose, or TENSILE_GEMM. */
  gemmRule: string;
  threads: number;
  cudaBuilt: boolean;
  compiler: string;
}

/**
 * Every function the addon exports, typed once. test/native/surface.test.ts checks that
 * each name in ADDON_FUNCTIONS (signatures.ts) exists on the loaded addon.
 */
export interface NativeAddon extends CudaAddon {
  info(): AddonInfo;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  denseF32(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    act: number,
  ): void;
  denseBackwardF32(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    m: number,
    k: number,
    n: number,
    act: number,
  ): void;
  // Convolution and pooling. geom: a Float64Array of the op's geometry (Conv2dDims, Pool2dDims) in
  // declaration order: conv [n, h, w, c, kh, kw, cout, oh, ow, strideH, strideW, dilationH, dilationW, padTop, padLeft],
  // pool [n, h, w, c, kh, kw, oh, ow, strideH, strideW, padTop, padLeft]. act: the DENSE_ACTIVATIONS code.
  conv2dF32(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array,
    out: Float32Array,
    geom: Float64Array,
    act: number,
  ): void;
  conv2dBackwardF32(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    db: Float32Array,
    geom: Float64Array,
    act: number,
  ): void;
  maxPool2dF32(x: Float32Array, out: Float32Array, geom: Float64Array): void;
  avgPool2dF32(x: Float32Array, out: Float32Array, geom: Float64Array): void;
  maxPool2dBackwardF32(x: Float32Array, dy: Float32Array, dx: Float32Array, geom: Float64Array): void;
  avgPool2dBackwardF32(dy: Float32Array, dx: Float32Array, geom: Float64Array): void;
  /** A dense stack's inference forward (kernels/cpu/mlp.h): dims [rows, (k, n, act) per layer]; then w, b per layer. */
  mlpForwardF32(x: Float32Array, out: Float32Array, dims: Float64Array, ...arrays: Float32Array[]): void;
  /**
   * Native plans (binding/deferred.cc): between planBegin() and planEnd(true) the kernel bindings validate their
   * arguments and keep their calls instead of running them; planEnd gives the kept calls as a plan, planRun runs
   * them in order. planEnd(true, arrays) holds `arrays` (the calls' arguments) for as long as the plan lives.
   */
  planBegin(): void;
  planEnd(keep: boolean, arrays?: readonly unknown[]): NativePlan | null;
  planRun(plan: NativePlan): void;
  /**
   * Run a plan `steps` times in one call. feeds [to, from, ...]: before step j, from's block j (or all of from when it
   * is one block long) is copied into to; gathers [to, from, ...]: to's rows become the rows of from that
   * rows[j·batch, (j + 1)·batch) name (batch = rows.length / steps); collects [from, to, ...]: after step j, from is
   * copied into to's block j.
   */
  planRunSteps(
    plan: NativePlan,
    steps: number,
    feeds: readonly (Float32Array | Float64Array | Int32Array)[],
    collects: readonly (Float32Array | Float64Array | Int32Array)[],
    rows: Int32Array,
    gathers: readonly (Float32Array | Float64Array | Int32Array)[],
  ): void;
  gemmF32(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    alpha: number,
    beta: number,
  ): void;
  /** The op names in code order (native/src/kernels/cpu/kinds.h); must equal lib/backend/kinds.ts. */
  opNames(): Record<'unary' | 'binary' | 'reduce' | 'dense' | 'rnn' | 'updateRule', string[]>;
  // Element-wise. code: the op's index in UNARY_OPS / BINARY_OPS. A broadcast plan travels as its
  // shape and one strides array per operand, each a Float64Array of non-negative integers.
  unaryF32(code: number, x: Float32Array, out: Float32Array): void;
  binaryF32(
    code: number,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    shape: Float64Array,
    aStrides: Float64Array,
    bStrides: Float64Array,
  ): void;
  whereF32(
    cond: Float32Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    shape: Float64Array,
    condStrides: Float64Array,
    aStrides: Float64Array,
    bStrides: Float64Array,
  ): void;
  broadcastF32(x: Float32Array, out: Float32Array, shape: Float64Array, xStrides: Float64Array): void;
  // Reductions over the middle axis of [outer, n, inner]. code: the op's index in REDUCE_OPS.
  // ordered: sums in the reference's order, to the bit (kernels/cpu/reduce.h).
  reduceF32(
    code: number,
    x: Float32Array,
    out: Float32Array,
    outer: number,
    n: number,
    inner: number,
    ordered: boolean,
  ): void;
  argmaxF32(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number): void;
  softmaxF32(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): void;
  /** Crossentropies on probabilities in the reference's arithmetic (kernels/cpu/crossentropy.h); kind 0 binary, 1 categorical. */
  crossentropyF32(
    kind: number,
    y: Float32Array,
    p: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  crossentropyBackwardF32(
    kind: number,
    y: Float32Array,
    p: Float32Array,
    dy: Float32Array,
    dp: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  // Attention and normalization (Backend.maskedSoftmax, softmaxBackward, layerNorm, layerNormBackward, gemmBatched).
  maskedSoftmaxF32(
    x: Float32Array,
    mask: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    heads: number,
    inner: number,
  ): void;
  softmaxBackwardF32(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
  layerNormF32(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  layerNormBackwardF32(
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    cols: number,
  ): void;
  batchNormF32(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    out: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    rstd: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  batchNormBackwardF32(
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    cols: number,
  ): void;
  movingAverageF32(avg: Float32Array, x: Float32Array, momentum: number): void;
  /** out[i] = value with probability p, else 0, from the xoshiro128** state's 4 words (advanced in place). */
  bernoulliF32(state: Int32Array, out: Float32Array, p: number, value: number): void;
  gemmBatchedF32(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    alpha: number,
    beta: number,
    batch: number,
    strideA: number,
    strideB: number,
  ): void;
  // Layout.
  transposeF32(x: Float32Array, out: Float32Array, shape: Float64Array, perm: Float64Array): void;
  gatherF32(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  scatterAddF32(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  // Fused optimizer updates, in place.
  adamUpdateF32(
    param: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    t: number,
    weightDecay: number,
  ): void;
  sgdUpdateF32(
    param: Float32Array,
    grad: Float32Array,
    velocity: Float32Array,
    lr: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  rmspropUpdateF32(
    param: Float32Array,
    grad: Float32Array,
    ms: Float32Array,
    mom: Float32Array,
    mg: Float32Array,
    lr: number,
    rho: number,
    momentum: number,
    epsilon: number,
    centered: boolean,
  ): void;
  adagradUpdateF32(param: Float32Array, grad: Float32Array, acc: Float32Array, lr: number, epsilon: number): void;
  /** rule: update-rule.ts' numbers, read when the kernel runs (a plan keeps this call). */
  applyUpdateF32(
    rule: Float64Array,
    param: Float32Array,
    grad: Float32Array,
    s0: Float32Array,
    s1: Float32Array,
    s2: Float32Array,
  ): void;
  // Recurrent cells, one step each way (Backend.lstmCell etc.). act, recAct: RNN_ACTIVATIONS codes; mask, dhOut, recBias may be empty.
  lstmCellF32(
    gates: Float32Array,
    cPrev: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    c: Float32Array,
    h: Float32Array,
    batch: number,
    units: number,
    act: number,
    recAct: number,
  ): void;
  lstmCellBackwardF32(
    gates: Float32Array,
    cPrev: Float32Array,
    c: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dc: Float32Array,
    dGates: Float32Array,
    batch: number,
    units: number,
    act: number,
    recAct: number,
  ): void;
  gruCellF32(
    gates: Float32Array,
    rec: Float32Array,
    recBias: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    batch: number,
    units: number,
    act: number,
    recAct: number,
  ): void;
  gruCellBackwardF32(
    gates: Float32Array,
    rec: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dGates: Float32Array,
    dRec: Float32Array,
    batch: number,
    units: number,
    act: number,
    recAct: number,
  ): void;
  rnnCellF32(
    gates: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    batch: number,
    units: number,
    act: number,
  ): void;
  rnnCellBackwardF32(
    gates: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dGates: Float32Array,
    batch: number,
    units: number,
    act: number,
  ): void;
  // GRU's reset-before form (Backend.gruResetGates etc.); mask, dhOut, dhIn, recMask may be empty.
  gruResetGatesF32(
    gates: Float32Array,
    zr: Float32Array,
    hIn: Float32Array,
    rh: Float32Array,
    batch: number,
    units: number,
    recAct: number,
  ): void;
  gruResetCellF32(
    gates: Float32Array,
    recH: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    batch: number,
    units: number,
    act: number,
  ): void;
  gruResetCellBackwardF32(
    gates: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dhIn: Float32Array,
    recMask: Float32Array,
    dh: Float32Array,
    dGates: Float32Array,
    dZR: Float32Array,
    dC: Float32Array,
    batch: number,
    units: number,
    act: number,
    recAct: number,
  ): void;
  gruResetGatesBackwardF32(
    gates: Float32Array,
    hIn: Float32Array,
    mask: Float32Array,
    dRh: Float32Array,
    dGates: Float32Array,
    dZR: Float32Array,
    dhIn: Float32Array,
    batch: number,
    units: number,
    recAct: number,
  ): void;
}

/** A native plan: kept kernel calls, opaque to JavaScript. */
export type NativePlan = { readonly __nativePlan: unique symbol };
