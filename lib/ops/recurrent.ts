import { withCustomGradient } from '../autograd/custom-grad.js';
import { backend, hostBackend } from '../backend/index.js';
import { hostStep, notReplayable } from '../backend/recording.js';
import type { Backend } from '../backend/backend.js';
import type { RnnActivation } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { backwardResetBefore, forwardResetBefore } from './recurrent-reset-before.js';
import {
  EMPTY,
  type Plan,
  type Saved,
  gemmParams,
  masked,
  timeMajorMask,
  toBatchMajor,
  toTimeMajor,
} from './recurrent-time.js';

// A whole recurrent layer as one op. Forward: the input projection of every step in one GEMM
// (x as [T·B, F] times the kernel, plus bias), then per step one recurrent GEMM and one fused cell
// kernel. Backward (through time): per step, in reverse, one fused cell-backward kernel and one GEMM
// for dh_{t−1}; then the weight gradients as three GEMMs over all steps at once (dW = Xᵀ·dG,
// dU = Hᵀ_{t−1}·dG, db = Σ dG) and dx = dG·Wᵀ. Everything runs time-major ([T, B, ·]) so that each
// step's rows are one contiguous block; the step order is already reversed when goBackwards.
// GRU's reset-before form is in ops/recurrent-reset-before.ts, the layout both share in ops/recurrent-time.ts.

export type RnnCellKind = 'lstm' | 'gru' | 'simpleRNN';

/** Gate blocks per cell: LSTM i, f, c, o; GRU z, r, h; SimpleRNN one. */
const GATES: Record<RnnCellKind, number> = { lstm: 4, gru: 3, simpleRNN: 1 };

export interface RecurrentOptions {
  cell: RnnCellKind;
  activation?: RnnActivation;
  recurrentActivation?: RnnActivation;
  /** Every step's h (in processing order), else only the last. */
  returnSequences?: boolean;
  /** LSTM: append the last cell state c_T as one more step of the output. */
  returnCellState?: boolean;
  /** Process the steps from last to first (Keras' go_backwards; outputs stay in processing order). */
  goBackwards?: boolean;
  /** [batch, time] of 0/1 (not differentiated): a 0 step carries h (and c) through unchanged, as Keras does. */
  mask?: Tensor | null;
  /** [batch, units] factors applied to h_{t−1} before the recurrent product at every step (recurrent dropout). */
  recurrentMask?: Float32Array | null;
  /**
   * GRU: apply the reset gate after the recurrent product (default true, Keras 2 and 3; bias [2, 3·units]:
   * ĥ = act(x·W_h + b_h + r ⊙ (h·U_h + b'_h))) or before it (false, Keras 1 and tfjs-layers; bias [3·units]:
   * ĥ = act(x·W_h + b_h + (r ⊙ h)·U_h)).
   */
  resetAfter?: boolean;
}

/**
 * A recurrent layer's computation: x [batch, time, features] with kernel [features, g·units], recurrentKernel
 * [units, g·units] and bias ([g·units]; GRU [2, 3·units], input then recurrent bias, or [3·units] with resetAfter
 * false) in Keras' layout, g the
 * cell's gate count. Returns [batch, s, units]: s = time steps (returnSequences) or 1 (the last h), plus one
 * for c_T when returnCellState. Initial states are zeros.
 * @example tl.recurrent(x, kernel, recKernel, bias, { cell: 'lstm' }) // x [2, 5, 3], units 4 → [2, 1, 4]
 */
export function recurrent(
  x: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  options: RecurrentOptions,
): Tensor {
  const { cell } = options;
  const op = cell;
  const g = GATES[cell];
  if (x.rank !== 3)
    throw new TensileError(op, `expected input of shape [batch, timesteps, features], got ${fmt(x.shape)}`);
  const [B, T, F] = x.shape;
  const U = recurrentKernel.shape[0];
  const GU = g * U;
  if (
    kernel.rank !== 2 ||
    kernel.shape[0] !== F ||
    kernel.shape[1] !== GU ||
    recurrentKernel.rank !== 2 ||
    recurrentKernel.shape[1] !== GU
  )
    throw new TensileError(
      op,
      `expects kernel [${F}, ${g}·units] and recurrentKernel [units, ${g}·units] for input ${fmt(x.shape)}; got kernel ${fmt(kernel.shape)}, recurrentKernel ${fmt(recurrentKernel.shape)}`,
    );
  const resetBefore = cell === 'gru' && options.resetAfter === false;
  const biasShape = cell === 'gru' && !resetBefore ? [2, GU] : [GU];
  if (bias && (bias.rank !== biasShape.length || bias.shape.some((d, i) => d !== biasShape[i])))
    throw new TensileError(op, `expects bias ${fmt(biasShape)}, got ${fmt(bias.shape)}`);
  const mask = options.mask ?? null;
  if (mask && (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T))
    throw new TensileError(op, `expects a mask of shape [${B}, ${T}], got ${fmt(mask.shape)}`);
  const recMask = options.recurrentMask ?? null;
  if (recMask && recMask.length !== B * U)
    throw new TensileError(op, `expects a recurrent mask of ${B * U} values, got ${recMask.length}`);
  const returnCell = options.returnCellState === true;
  if (returnCell && cell !== 'lstm') throw new TensileError(op, 'returnCellState applies to lstm only');
  const plan: Plan = {
    cell,
    B,
    T,
    F,
    U,
    g,
    acts: { act: options.activation ?? 'tanh', recAct: options.recurrentActivation ?? 'sigmoid' },
    seq: options.returnSequences === true,
    returnCell,
    backwards: options.goBackwards === true,
    recMask,
    resetBefore,
  };
  const inputs = bias ? [x, kernel, recurrentKernel, bias] : [x, kernel, recurrentKernel];
  return withCustomGradient(op, inputs, () => {
    // On the cuda backend the steps run on the CPU (the host backend), between device kernels: a recorded step
    // holding them cannot be replayed. Elsewhere every step is a kernel call or an announced host step, and a
    // compiled step replays them.
    const k = hostBackend();
    if (k !== backend()) notReplayable(`${op}: on the cuda backend the recurrent steps run on the CPU`);
    const host = (t: Tensor | null | undefined) => (t ? t.data : null);
    const saved = (plan.resetBefore ? forwardResetBefore : forward)(
      k,
      plan,
      host(x)!,
      host(kernel)!,
      host(recurrentKernel)!,
      host(bias),
      mask ? timeMajorMask(host(mask)!, B, T, plan.backwards) : null,
    );
    const value = new Tensor(output(k, plan, saved), [B, (plan.seq ? T : 1) + (returnCell ? 1 : 0), U]);
    return {
      value,
      backward: (dy) =>
        (plan.resetBefore ? backwardResetBefore : backwardThroughTime)(hostBackend(), plan, saved, host(dy)!, inputs),
    };
  });
}

function forward(
  k: Backend,
  p: Plan,
  x: Float32Array,
  kernel: Float32Array,
  recKernel: Float32Array,
  bias: Float32Array | null,
  mask: Float32Array | null,
): Saved {
  const { cell, B, T, F, U, g, acts, recMask } = p;
  const GU = g * U,
    BU = B * U,
    BG = B * GU;
  const xt = toTimeMajor(k, x, B, T, F, p.backwards);
  const gates = new Float32Array(T * BG);
  const inBias = !bias ? EMPTY : cell === 'gru' ? bias.subarray(0, GU) : bias;
  const recBias = bias && cell === 'gru' ? bias.subarray(GU) : EMPTY;
  k.dense(xt, kernel, inBias, gates, { m: T * B, k: F, n: GU }, 'linear');
  const h = new Float32Array((T + 1) * BU);
  const c = cell === 'lstm' ? new Float32Array((T + 1) * BU) : EMPTY;
  const rec = cell === 'gru' ? new Float32Array(T * BG) : EMPTY;
  const scratch = recMask ? new Float32Array(BU) : EMPTY;
  const d = { batch: B, units: U };
  for (let s = 0; s < T; s++) {
    const hp = h.subarray(s * BU, (s + 1) * BU),
      hn = h.subarray((s + 1) * BU, (s + 2) * BU);
    const gs = gates.subarray(s * BG, (s + 1) * BG);
    const m = mask ? mask.subarray(s * B, (s + 1) * B) : EMPTY;
    const hIn = masked(k, hp, recMask, scratch);
    if (cell === 'gru') {
      const rs = rec.subarray(s * BG, (s + 1) * BG);
      k.gemm(hIn, recKernel, rs, gemmParams(B, GU, U, false, false, 0));
      k.gruCell(gs, rs, recBias, hp, m, hn, d, acts);
    } else {
      k.gemm(hIn, recKernel, gs, gemmParams(B, GU, U, false, false, 1));
      if (cell === 'lstm')
        k.lstmCell(gs, c.subarray(s * BU, (s + 1) * BU), hp, m, c.subarray((s + 1) * BU, (s + 2) * BU), hn, d, acts);
      else k.rnnCell(gs, hp, m, hn, d, acts.act);
    }
  }
  return { xt, gates, rec, h, c, mask, kernel, recurrentKernel: recKernel };
}

/** The op's value [B, S, U] from the saved states. */
function output(k: Backend, p: Plan, sv: Saved): Float32Array {
  const { B, T, U } = p;
  const BU = B * U;
  const S = (p.seq ? T : 1) + (p.returnCell ? 1 : 0);
  const out = new Float32Array(B * S * U);
  if (p.seq && !p.returnCell) {
    k.transpose(sv.h.subarray(BU), out, [T, B, U], [1, 0, 2]);
    return out;
  }
  const steps = p.seq ? T : 1;
  const first = p.seq ? 1 : T; // the first h_t written
  hostStep(
    [out],
    () => {
      for (let b = 0; b < B; b++) {
        for (let s = 0; s < steps; s++)
          out.set(sv.h.subarray((first + s) * BU + b * U, (first + s) * BU + (b + 1) * U), (b * S + s) * U);
        if (p.returnCell) out.set(sv.c.subarray(T * BU + b * U, T * BU + (b + 1) * U), (b * S + S - 1) * U);
      }
    },
    [sv.h, sv.c],
  );
  return out;
}

function backwardThroughTime(
  k: Backend,
  p: Plan,
  sv: Saved,
  dy: Float32Array,
  inputs: readonly Tensor[],
): (Tensor | null)[] {
  const { cell, B, T, F, U, g, acts, recMask } = p;
  const GU = g * U,
    BU = B * U,
    BG = B * GU;
  const S = (p.seq ? T : 1) + (p.returnCell ? 1 : 0);
  const d = { batch: B, units: U };

  // The output's gradient, time-major: every step's (returnSequences) or the last step's.
  let dhSeq = EMPTY;
  const dhLast = new Float32Array(p.seq ? 0 : BU);
  const dc = new Float32Array(cell === 'lstm' ? BU : 0);
  if (p.seq && !p.returnCell) {
    dhSeq = new Float32Array(T * BU);
    k.transpose(dy, dhSeq, [B, T, U], [1, 0, 2]);
  } else {
    if (p.seq) dhSeq = new Float32Array(T * BU);
    // Only what the loop writes: dc otherwise keeps its zeros, which a replay must restore (the cell adds into it).
    const seq = dhSeq;
    hostStep(
      [p.seq ? seq : dhLast, ...(p.returnCell ? [dc] : [])],
      () => {
        for (let b = 0; b < B; b++) {
          if (p.seq)
            for (let s = 0; s < T; s++) seq.set(dy.subarray((b * S + s) * U, (b * S + s + 1) * U), s * BU + b * U);
          else dhLast.set(dy.subarray(b * S * U, (b * S + 1) * U), b * U);
          if (p.returnCell) dc.set(dy.subarray((b * S + S - 1) * U, (b * S + S) * U), b * U);
        }
      },
      [dy],
    );
  }

  const dGates = new Float32Array(T * BG);
  const dRec = cell === 'gru' ? new Float32Array(T * BG) : dGates;
  const dh = new Float32Array(BU);
  const scratch = recMask ? new Float32Array(BU) : EMPTY;
  for (let s = T - 1; s >= 0; s--) {
    const dho = p.seq ? dhSeq.subarray(s * BU, (s + 1) * BU) : s === T - 1 ? dhLast : EMPTY;
    const m = sv.mask ? sv.mask.subarray(s * B, (s + 1) * B) : EMPTY;
    const gs = sv.gates.subarray(s * BG, (s + 1) * BG);
    const dgs = dGates.subarray(s * BG, (s + 1) * BG);
    if (cell === 'lstm')
      k.lstmCellBackward(
        gs,
        sv.c.subarray(s * BU, (s + 1) * BU),
        sv.c.subarray((s + 1) * BU, (s + 2) * BU),
        m,
        dho,
        dh,
        dc,
        dgs,
        d,
        acts,
      );
    else if (cell === 'gru')
      k.gruCellBackward(
        gs,
        sv.rec.subarray(s * BG, (s + 1) * BG),
        sv.h.subarray(s * BU, (s + 1) * BU),
        m,
        dho,
        dh,
        dgs,
        dRec.subarray(s * BG, (s + 1) * BG),
        d,
        acts,
      );
    else k.rnnCellBackward(gs, m, dho, dh, dgs, d, acts.act);
    if (s === 0) break; // dh_0 would be the initial state's gradient: zeros are constant
    const drs = dRec.subarray(s * BG, (s + 1) * BG);
    if (!recMask) k.gemm(drs, sv.recurrentKernel, dh, gemmParams(B, U, GU, false, true, 1));
    else {
      k.gemm(drs, sv.recurrentKernel, scratch, gemmParams(B, U, GU, false, true, 0));
      hostStep(
        [dh],
        () => {
          for (let i = 0; i < BU; i++) dh[i] += scratch[i] * recMask[i];
        },
        [dh, scratch, recMask],
      );
    }
  }

  const [x, kernel, recKernel, bias] = inputs;
  const TB = T * B;
  let dx: Tensor | null = null,
    dW: Tensor | null = null,
    dU: Tensor | null = null,
    db: Tensor | null = null;
  if (kernel.requiresGrad) {
    dW = new Tensor(new Float32Array(F * GU), kernel.shape);
    k.gemm(sv.xt, dGates, dW.raw, gemmParams(F, GU, TB, true, false, 0));
  }
  if (recKernel.requiresGrad) {
    dU = new Tensor(new Float32Array(U * GU), recKernel.shape);
    const hPrev = masked(k, sv.h.subarray(0, TB * U), recMask, new Float32Array(recMask ? TB * U : 0));
    k.gemm(hPrev, dRec, dU.raw, gemmParams(U, GU, TB, true, false, 0));
  }
  if (bias?.requiresGrad) {
    db = new Tensor(new Float32Array(bias.size), bias.shape);
    k.reduce('sum', dGates, db.raw.subarray(0, GU), { outer: 1, n: TB, inner: GU });
    if (cell === 'gru') k.reduce('sum', dRec, db.raw.subarray(GU), { outer: 1, n: TB, inner: GU });
  }
  if (x.requiresGrad) {
    const dxt = new Float32Array(TB * F);
    k.gemm(dGates, sv.kernel, dxt, gemmParams(TB, F, GU, false, true, 0));
    dx = new Tensor(toBatchMajor(k, dxt, B, T, F, p.backwards), x.shape);
  }
  return bias ? [dx, dW, dU, db] : [dx, dW, dU];
}
