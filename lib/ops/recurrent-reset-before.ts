import type { Backend } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { EMPTY, type Plan, type Saved, gemmParams, masked, toBatchMajor, toTimeMajor } from './recurrent-time.js';

// GRU's reset-before form (Keras 1, tfjs-layers: reset_after false): r is needed before the candidate's recurrent
// product, so each step makes two GEMMs, hIn·U_zr then (r ⊙ hIn)·U_h (hIn: h with the recurrent mask), and the
// element-wise work splits where they do: the gates (z, r and r ⊙ hIn) after the first, the cell (ĥ and h') after the
// second. Backward likewise: the cell's gradients (dz, dĥ) before dĥ·U_hᵀ, the reset gate's (dr, and hIn's share
// through r ⊙ hIn) after it; hIn's whole gradient is complete only after one more GEMM (+ [dz, dr]·U_zrᵀ), so the
// next step back adds it (times the recurrent mask) as its cell kernel gathers dh_t, instead of one more pass here.
// Every part is a backend kernel (Backend.gruResetGates and the rest): a compiled step replays this form too.

/** recurrentKernel [U, 3U] → its z, r columns [U, 2U] and its h columns [U, U], each contiguous for a GEMM. */
function splitRecurrentKernel(k: Backend, u: Float32Array, U: number): [Float32Array, Float32Array] {
  const zr = new Float32Array(2 * U * U),
    hh = new Float32Array(U * U);
  k.slice(u, [U, 3 * U], [0, 0], zr, [U, 2 * U]);
  k.slice(u, [U, 3 * U], [0, 2 * U], hh, [U, U]);
  return [zr, hh];
}

/**
 * z, r = recAct(x·W_zr + b_zr + h·U_zr); ĥ = act(x·W_h + b_h + (r ⊙ h)·U_h); h' = z ⊙ h + (1 − z) ⊙ ĥ
 * (h with the recurrent mask where it enters a product). Saves the activations in `gates` and r ⊙ h in `rec`.
 */
export function forwardResetBefore(
  k: Backend,
  p: Plan,
  x: Float32Array,
  kernel: Float32Array,
  recKernel: Float32Array,
  bias: Float32Array | null,
  mask: Float32Array | null,
): Saved {
  const { B, T, F, U, acts, recMask } = p;
  const GU = 3 * U,
    BU = B * U,
    BG = B * GU;
  const xt = toTimeMajor(k, x, B, T, F, p.backwards);
  const gates = new Float32Array(T * BG);
  k.dense(xt, kernel, bias ?? EMPTY, gates, { m: T * B, k: F, n: GU }, 'linear');
  const [uZR, uH] = splitRecurrentKernel(k, recKernel, U);
  const h = new Float32Array((T + 1) * BU);
  const rh = new Float32Array(T * BU);
  const zr = new Float32Array(2 * BU),
    recH = new Float32Array(BU);
  const scratch = recMask ? new Float32Array(BU) : EMPTY;
  const d = { batch: B, units: U };
  for (let s = 0; s < T; s++) {
    const hp = h.subarray(s * BU, (s + 1) * BU),
      hn = h.subarray((s + 1) * BU, (s + 2) * BU);
    const gs = gates.subarray(s * BG, (s + 1) * BG),
      rhs = rh.subarray(s * BU, (s + 1) * BU);
    const m = mask ? mask.subarray(s * B, (s + 1) * B) : EMPTY;
    const hIn = masked(k, hp, recMask, scratch);
    k.gemm(hIn, uZR, zr, gemmParams(B, 2 * U, U, false, false, 0));
    k.gruResetGates(gs, zr, hIn, rhs, d, acts.recAct);
    k.gemm(rhs, uH, recH, gemmParams(B, U, U, false, false, 0));
    k.gruResetCell(gs, recH, hp, m, hn, d, acts.act);
  }
  return { xt, gates, rec: rh, h, c: EMPTY, mask, kernel, recurrentKernel: recKernel };
}

export function backwardResetBefore(
  k: Backend,
  p: Plan,
  sv: Saved,
  dy: Float32Array,
  inputs: readonly Tensor[],
): (Tensor | null)[] {
  const { B, T, F, U, acts, recMask } = p;
  const GU = 3 * U,
    BU = B * U,
    BG = B * GU,
    TB = T * B;
  let dhSeq = EMPTY;
  if (p.seq) {
    dhSeq = new Float32Array(T * BU);
    k.transpose(dy, dhSeq, [B, T, U], [1, 0, 2]);
  }
  const [uZR, uH] = splitRecurrentKernel(k, sv.recurrentKernel, U);
  // The products' inputs: h_{t−1} with the recurrent mask, for every step.
  const hIns = masked(k, sv.h.subarray(0, TB * U), recMask, new Float32Array(recMask ? TB * U : 0));
  const dGates = new Float32Array(T * BG); // of x·W + b: [dz, dr, dĥ] pre-activations
  const dZR = new Float32Array(2 * TB * U); // [T, B, 2U]: dz, dr, for U_zr
  const dC = new Float32Array(TB * U); // [T, B, U]: dĥ, for U_h
  const dh = new Float32Array(BU),
    dRh = new Float32Array(BU),
    dhIn = new Float32Array(BU);
  const d = { batch: B, units: U };
  for (let s = T - 1; s >= 0; s--) {
    // Without returnSequences dy is [B, 1, U]: the last step's output gradient as it is.
    const dho = p.seq ? dhSeq.subarray(s * BU, (s + 1) * BU) : s === T - 1 ? dy : EMPTY;
    const m = sv.mask ? sv.mask.subarray(s * B, (s + 1) * B) : EMPTY;
    const gs = sv.gates.subarray(s * BG, (s + 1) * BG),
      dgs = dGates.subarray(s * BG, (s + 1) * BG);
    const dzr = dZR.subarray(2 * s * BU, 2 * (s + 1) * BU),
      dc = dC.subarray(s * BU, (s + 1) * BU);
    // dh_t gathers the carried dh, the output's and, from the step after, dhIn through the recurrent mask.
    const later = s === T - 1 ? EMPTY : dhIn;
    k.gruResetCellBackward(
      gs,
      sv.h.subarray(s * BU, (s + 1) * BU),
      m,
      dho,
      later,
      recMask ?? EMPTY,
      dh,
      dgs,
      dzr,
      dc,
      d,
      acts,
    );
    k.gemm(dc, uH, dRh, gemmParams(B, U, U, false, true, 0)); // d(r ⊙ hIn) = dĥ·U_hᵀ
    k.gruResetGatesBackward(gs, hIns.subarray(s * BU, (s + 1) * BU), m, dRh, dgs, dzr, dhIn, d, acts.recAct);
    if (s === 0) break; // dh_0 would be the initial state's gradient: zeros are constant
    k.gemm(dzr, uZR, dhIn, gemmParams(B, U, 2 * U, false, true, 1)); // dhIn += [dz, dr]·U_zrᵀ
  }

  const [x, kernel, recKernel, bias] = inputs;
  let dx: Tensor | null = null,
    dW: Tensor | null = null,
    dU: Tensor | null = null,
    db: Tensor | null = null;
  if (kernel.requiresGrad) {
    dW = new Tensor(new Float32Array(F * GU), kernel.shape);
    k.gemm(sv.xt, dGates, dW.raw, gemmParams(F, GU, TB, true, false, 0));
  }
  if (recKernel.requiresGrad) {
    const dUzr = new Float32Array(2 * U * U),
      dUh = new Float32Array(U * U);
    k.gemm(hIns, dZR, dUzr, gemmParams(U, 2 * U, TB, true, false, 0));
    k.gemm(sv.rec, dC, dUh, gemmParams(U, U, TB, true, false, 0));
    dU = new Tensor(new Float32Array(U * GU), recKernel.shape);
    k.unslice(dUzr, [U, 2 * U], [0, 0], dU.raw, [U, GU]);
    k.unslice(dUh, [U, U], [0, 2 * U], dU.raw, [U, GU]);
  }
  if (bias?.requiresGrad) {
    db = new Tensor(new Float32Array(GU), bias.shape);
    k.reduce('sum', dGates, db.raw, { outer: 1, n: TB, inner: GU });
  }
  if (x.requiresGrad) {
    const dxt = new Float32Array(TB * F);
    k.gemm(dGates, sv.kernel, dxt, gemmParams(TB, F, GU, false, true, 0));
    dx = new Tensor(toBatchMajor(k, dxt, B, T, F, p.backwards), x.shape);
  }
  return bias ? [dx, dW, dU, db] : [dx, dW, dU];
}
