import type {
  AdagradStep,
  AdamStep,
  Conv2dDims,
  CrossentropyKind,
  GemmParams,
  Pool2dDims,
  PoolKind,
  ReduceDims,
  RmspropStep,
  SgdStep,
} from '../backend.js';
import type { BroadcastPlan } from '../strides.js';
import type { BinaryOp, DenseActivation, ReduceOp, UnaryOp } from '../kinds.js';

/** Device memory owned by a JS object: freed by dispose() (idempotent) or at garbage collection. */
export interface DeviceBuffer {
  readonly length: number;
  readonly disposed: boolean;
  dispose(): void;
}

/** A window of a device buffer, in elements. */
export interface View {
  readonly buf: DeviceBuffer;
  readonly offset: number;
  readonly length: number;
}

/**
 * The kernels a GPU offers, on device views. The addon's CUDA functions implement it (addon-device.ts);
 * tests implement it in host memory too, so the residency logic of the cuda backend runs in CI without a GPU.
 */
export interface DeviceApi {
  alloc(length: number): DeviceBuffer;
  upload(dst: View, src: Float32Array): void;
  download(src: View, dst: Float32Array): void;
  copy(dst: View, src: View): void;
  fill(dst: View, value: number): void;
  /** Wait until every queued kernel and copy has finished. */
  synchronize(): void;
  gemm(a: View, b: View, c: View, p: GemmParams): void;
  unary(op: UnaryOp, x: View, out: View): void;
  binary(op: BinaryOp, a: View, b: View, out: View, plan: BroadcastPlan): void;
  where(cond: View, a: View, b: View, out: View, plan: BroadcastPlan): void;
  /** out = x read through plan.strides[0]: broadcastTo, and with other strides transpose and slice. */
  broadcast(x: View, out: View, plan: BroadcastPlan): void;
  reduce(op: ReduceOp, x: View, out: View, d: ReduceDims): void;
  argmax(x: View, out: View, d: ReduceDims): void;
  softmax(x: View, out: View, rows: number, cols: number, log: boolean): void;
  /** pre = act(pre + bias) in place, bias of length cols or empty. */
  biasActivation(pre: View, bias: View, rows: number, cols: number, act: DenseActivation): void;
  /** dpre = dy ⊙ act'(y), from the activation's output y. */
  activationBackward(y: View, dy: View, dpre: View, rows: number, cols: number, act: DenseActivation): void;
  /** cols of samples [b0, b1): rows of kh·kw·c. */
  im2col(x: View, cols: View, d: Conv2dDims, b0: number, b1: number): void;
  /** Adds cols of samples [b0, b1) onto dx. */
  col2im(cols: View, dx: View, d: Conv2dDims, b0: number, b1: number): void;
  pool2d(kind: PoolKind, x: View, out: View, d: Pool2dDims): void;
  pool2dBackward(kind: PoolKind, x: View, dy: View, dx: View, d: Pool2dDims): void;
  adamUpdate(param: View, grad: View, m: View, v: View, h: AdamStep): void;
  sgdUpdate(param: View, grad: View, velocity: View, h: SgdStep): void;
  rmspropUpdate(param: View, grad: View, ms: View, mom: View, mg: View, h: RmspropStep): void;
  adagradUpdate(param: View, grad: View, acc: View, h: AdagradStep): void;
  crossentropy(kind: CrossentropyKind, y: View, p: View, out: View, rows: number, cols: number, eps: number): void;
  crossentropyBackward(
    kind: CrossentropyKind,
    y: View,
    p: View,
    dy: View,
    dp: View,
    rows: number,
    cols: number,
    eps: number,
  ): void;
}
