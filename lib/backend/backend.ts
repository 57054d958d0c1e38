import type { BroadcastPlan } from './strides.js';
import type { BinaryOp, DenseActivation, ReduceOp, RnnActivation, UnaryOp } from './kinds.js';
import type {
  GemmParams,
  ReduceDims,
  AdamStep,
  SgdStep,
  RmspropStep,
  AdagradStep,
  BatchStrides,
  LayerNormGrads,
  DenseDims,
  DenseGrads,
  Conv2dDims,
  Conv2dGrads,
  Pool2dDims,
  PoolKind,
  RnnStepDims,
  RnnActs,
  MlpForwardLayer,
  CrossentropyKind,
} from './kernel-args.js';

export type * from './kernel-args.js';

/** The backends: 'native', 'reference' or 'cuda'. */
export type BackendName = 'reference' | 'native' | 'cuda';

/**
 * One typed method per kernel. Kernels see Float32Arrays and sizes, never Tensors;
 * the caller allocates every output and has validated every shape.
 */
/** One recorded kernel call: a Backend method and its arguments. */
export interface KernelCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * How a backend runs a sequence of recorded kernel calls as one call (a native plan: no per-call crossing or
 * argument checks at replay). `accepts` says which calls it can take; `compile` validates them once.
 */
export interface KernelPlans {
  accepts(call: KernelCall): boolean;
  compile(calls: readonly KernelCall[]): CompiledCalls;
}

/** Typed arrays a compiled run copies in or out at each of its steps. */
export type StepArray = Float32Array | Float64Array | Int32Array;

/** What each step of CompiledCalls.runSteps copies in and out. */
export interface StepIo {
  readonly feeds: readonly StepArray[];
  readonly collects: readonly StepArray[];
  readonly rows?: Int32Array;
  readonly gathers?: readonly StepArray[];
}

/** Kernel calls compiled by a backend: run once, or `steps` times in one call. */
export interface CompiledCalls {
  run(): void;
  /**
   * Run the calls `steps` times. feeds [to, from, ...]: before step j, from's block j (all of from when it is one
   * block long) is copied into to; gathers [to, from, ...]: to's rows become the rows of from that
   * rows[j·batch, (j + 1)·batch) name (batch = rows.length / steps); collects [from, to, ...]: after step j, from is
   * copied into to's block j.
   */
  runSteps(steps: number, io: StepIo): void;
}

export interface Backend {
  readonly name: BackendName;
  /** Plans of kernel calls (models/plan/), where the backend has them; else a recorded step replays call by call. */
  readonly plans?: KernelPlans;
  /** c = alpha·op(a)·op(b) + beta·c (with beta = 0, c is not read: NaN in c does not leak). */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams): void;
  /**
   * `batch` GEMMs of one shape: c[i·m·n ..] = alpha·op(a[i·strideA ..])·op(b[i·strideB ..]) + beta·c[i·m·n ..]
   * (a stride of 0 shares that operand across the batch).
   */
  gemmBatched(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams, batch: BatchStrides): void;
  /** out = x (same length). */
  copy(x: Float32Array, out: Float32Array): void;
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
  /**
   * Row-wise softmax of the entries where mask ≠ 0 (the others get 0; a row masked everywhere is uniform, as
   * Keras' −1e9). mask (empty: none) has rows/heads rows: score row r reads mask row ⌊r/(heads·inner)⌋·inner + r mod inner.
   */
  maskedSoftmax(
    x: Float32Array,
    mask: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    heads: number,
    inner: number,
  ): void;
  /** dx = y ⊙ (dy − Σ dy⊙y) row by row: softmax's gradient from its output. */
  softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void;
  /** Layer normalization of [rows, cols] over cols: out = (x − mean)·rstd·gamma + beta; mean, rstd [rows] kept for the backward pass. */
  layerNorm(
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
  /** Its gradients (an empty dx, dgamma or dbeta is skipped; dgamma, dbeta overwritten). */
  layerNormBackward(
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dy: Float32Array,
    g: LayerNormGrads,
    rows: number,
    cols: number,
  ): void;
  /**
   * Batch normalization in training of [rows, cols] over rows: out = (x − mean)·(rstd·gamma) + beta with the batch
   * mean and (biased) variance per column, rstd = 1/√(variance + eps); mean, variance, rstd [cols] kept.
   */
  batchNorm(
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
  /** Its gradients through the batch statistics (an empty dx, dgamma or dbeta is skipped; dgamma, dbeta overwritten). */
  batchNormBackward(
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    dy: Float32Array,
    g: LayerNormGrads,
    rows: number,
    cols: number,
  ): void;
  /** avg = avg·momentum + x·(1 − momentum) in place, each product and the sum rounded to float32 (moving statistics). */
  movingAverage(avg: Float32Array, x: Float32Array, momentum: number): void;
  /** out = x with axes permuted: out axis i is x axis perm[i]. */
  transpose(x: Float32Array, out: Float32Array, shape: readonly number[], perm: readonly number[]): void;
  /** out row r = x row indices[r], rows of rowSize elements. */
  gather(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  /** out row indices[r] += x row r (out is zeroed by the caller). */
  scatterAdd(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void;
  /** Copy a box of x: out[i] = x[begin + i] in every dimension. */
  slice(
    x: Float32Array,
    xShape: readonly number[],
    begin: readonly number[],
    out: Float32Array,
    outShape: readonly number[],
  ): void;
  /** The inverse of slice: write x into the box of out starting at begin (the rest of out is left alone). */
  unslice(
    x: Float32Array,
    xShape: readonly number[],
    begin: readonly number[],
    out: Float32Array,
    outShape: readonly number[],
  ): void;

  /** out = act(x·w + b): the GEMM, bias and activation of a dense layer in one pass (b empty: no bias). */
  dense(x: Float32Array, w: Float32Array, b: Float32Array, out: Float32Array, d: DenseDims, act: DenseActivation): void;
  /** Gradients of dense from its output y and dy: dPre = dy ⊙ act'(y), dw = xᵀ·dPre, db = Σ dPre, dx = dPre·wᵀ. */
  denseBackward(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    g: DenseGrads,
    d: DenseDims,
    act: DenseActivation,
  ): void;

  /** out = act(conv2d(x, w) + b) by im2col + GEMM (b empty: no bias). */
  conv2d(
    x: Float32Array,
    w: Float32Array,
    b: Float32Array,
    out: Float32Array,
    d: Conv2dDims,
    act: DenseActivation,
  ): void;
  /** Gradients of conv2d from its output y and dy: dw by GEMM over im2col(x), dx by GEMM then col2im. */
  conv2dBackward(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    dy: Float32Array,
    g: Conv2dGrads,
    d: Conv2dDims,
    act: DenseActivation,
  ): void;
  /** Max or average over each window. */
  pool2d(kind: PoolKind, x: Float32Array, out: Float32Array, d: Pool2dDims): void;
  /** dx (overwritten) from dy: max routes each window's gradient to its first maximum, avg spreads it evenly. */
  pool2dBackward(kind: PoolKind, x: Float32Array, dy: Float32Array, dx: Float32Array, d: Pool2dDims): void;

  // One recurrent step's element-wise work, fused (the GEMMs around it are gemm calls). Gate blocks in
  // Keras order: LSTM i, f, c, o; GRU z, r, h (reset_after). mask: empty, or [batch] of 0/1 where a 0 row
  // carries its state through. dhOut: empty, or the output's gradient at this step, added to dh first.
  // dh: in, dL/dh_t; out, the part flowing straight to h_{t−1} (the caller adds dGates·Uᵀ).
  /** gates [B, 4U] pre-activations → activations (in place); c = f·cPrev + i·g, h = o·act(c). */
  lstmCell(
    gates: Float32Array,
    cPrev: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    c: Float32Array,
    h: Float32Array,
    d: RnnStepDims,
    a: RnnActs,
  ): void;
  /** dGates [B, 4U] from the saved activations; dc: in dL/dc_t, out dL/dc_{t−1}. */
  lstmCellBackward(
    gates: Float32Array,
    cPrev: Float32Array,
    c: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dc: Float32Array,
    dGates: Float32Array,
    d: RnnStepDims,
    a: RnnActs,
  ): void;
  /** gates [B, 3U]: x·W + b_in → activations z, r, ĥ; rec [B, 3U]: hPrev·U → + recBias (in place); h = z·hPrev + (1 − z)·ĥ, ĥ = act(x_h + r·rec_h). */
  gruCell(
    gates: Float32Array,
    rec: Float32Array,
    recBias: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    d: RnnStepDims,
    a: RnnActs,
  ): void;
  /** dGates [B, 3U] (of x·W + b_in) and dRec [B, 3U] (of hPrev·U + recBias). */
  gruCellBackward(
    gates: Float32Array,
    rec: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dGates: Float32Array,
    dRec: Float32Array,
    d: RnnStepDims,
    a: RnnActs,
  ): void;
  /** gates [B, U] pre-activations → act (in place); h = gates (hPrev on masked rows). */
  rnnCell(
    gates: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    d: RnnStepDims,
    act: RnnActivation,
  ): void;
  rnnCellBackward(
    gates: Float32Array,
    mask: Float32Array,
    dhOut: Float32Array,
    dh: Float32Array,
    dGates: Float32Array,
    d: RnnStepDims,
    act: RnnActivation,
  ): void;

  // GRU's reset-before form (resetAfter false: Keras 1, tfjs-layers), whose reset gate multiplies h before the
  // candidate's recurrent product: two kernels each way around a second GEMM. hIn is hPrev times the recurrent
  // mask. Forward: zr = hIn·U_zr; gruResetGates; recH = rh·U_h; gruResetCell. Backward: gruResetCellBackward;
  // dRh = dC·U_hᵀ; gruResetGatesBackward; dhIn += dZR·U_zrᵀ (read by the next, earlier, step's cell backward).
  /** gates [B, 3U]: x·W + b in; z, r = recAct(gates_zr + zr) out, in place (zr [B, 2U]); rh [B, U] = r ⊙ hIn. */
  gruResetGates(
    gates: Float32Array,
    zr: Float32Array,
    hIn: Float32Array,
    rh: Float32Array,
    d: RnnStepDims,
    recAct: RnnActivation,
  ): void;
  /** ĥ = act(gates_h + recH) in place (recH [B, U]); h = z ⊙ hPrev + (1 − z) ⊙ ĥ (hPrev on masked rows). */
  gruResetCell(
    gates: Float32Array,
    recH: Float32Array,
    hPrev: Float32Array,
    mask: Float32Array,
    h: Float32Array,
    d: RnnStepDims,
    act: RnnActivation,
  ): void;
  /**
   * dh_t = dh + dhOut + dhIn ⊙ recMask, h_t's three routes (dhIn [B, U]: the gradient of the later step's hIn, empty
   * for none; recMask [B, U], empty for ones); then dz into the z blocks of dGates [B, 3U] and dZR [B, 2U], dĥ into
   * dGates' h block and dC [B, U], and dh ← dh_t ⊙ z. Masked rows zero those and keep dh = dh_t.
   */
  gruResetCellBackward(
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
    d: RnnStepDims,
    a: RnnActs,
  ): void;
  /**
   * From dRh [B, U] (of rh = r ⊙ hIn): dr = dRh ⊙ hIn ⊙ recAct'(r) into the r blocks of dGates and dZR (their other
   * blocks left alone), and dhIn = dRh ⊙ r, hIn's share through rh; both 0 on masked rows.
   */
  gruResetGatesBackward(
    gates: Float32Array,
    hIn: Float32Array,
    mask: Float32Array,
    dRh: Float32Array,
    dGates: Float32Array,
    dZR: Float32Array,
    dhIn: Float32Array,
    d: RnnStepDims,
    recAct: RnnActivation,
  ): void;

  /**
   * out[i] = value where a uniform draw is below p, else 0, each from two outputs of the xoshiro128** generator whose
   * four words `state` holds (lib/tensor/random.ts), advanced in place: a dropout mask drawn by a kernel of the step,
   * so that a recorded step draws a new one each replay. Every backend gives the same mask and final state.
   */
  bernoulli(state: Int32Array, out: Float32Array, p: number, value: number): void;

  /** Per-row crossentropy of probabilities p against targets y ([rows, cols] → out [rows]), p clipped to [eps, 1 − eps]. */
  crossentropy(
    kind: CrossentropyKind,
    y: Float32Array,
    p: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  /** Its exact gradient with respect to p, scaled by dy [rows]. */
  crossentropyBackward(
    kind: CrossentropyKind,
    y: Float32Array,
    p: Float32Array,
    dy: Float32Array,
    dp: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;

  /** A dense stack's inference forward: out [rows, n_last] from x [rows, k0]. */
  mlpForward(x: Float32Array, layers: readonly MlpForwardLayer[], rows: number, out: Float32Array): void;

  // Fused optimizer updates: one pass per variable, writing param and slots in place (the names say so).
  adamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, h: AdamStep): void;
  /** velocity is empty when momentum is 0. */
  sgdUpdate(param: Float32Array, grad: Float32Array, velocity: Float32Array, h: SgdStep): void;
  /** mg is empty unless centered; mom is empty when momentum is 0. */
  rmspropUpdate(
    param: Float32Array,
    grad: Float32Array,
    ms: Float32Array,
    mom: Float32Array,
    mg: Float32Array,
    h: RmspropStep,
  ): void;
  adagradUpdate(param: Float32Array, grad: Float32Array, acc: Float32Array, h: AdagradStep): void;
  /**
   * One of the four above by a rule given as numbers (update-rule.ts), read when the kernel runs: a compiled step
   * keeps this call and each replay takes the rule's current values (learning rate, step). Slots in the rule's
   * order; those it does not use may be empty.
   */
  applyUpdate(
    rule: Float64Array,
    param: Float32Array,
    grad: Float32Array,
    s0: Float32Array,
    s1: Float32Array,
    s2: Float32Array,
  ): void;
}
