import type { Backend } from '../backend/backend.js';
import { ACT, DACT } from '../backend/reference/recurrent.js';
import { Tensor } from '../tensor/tensor.js';
import { EMPTY, type Plan, type Saved, gemmParams, masked, toBatchMajor, toTimeMajor } from './recurrent-time.js';

// GRU's reset-before form (Keras 1, tfjs-layers: reset_after false): r is needed before the candidate's recurrent
// product, so each step makes two GEMMs (h·U_zr, then (r ⊙ h)·U_h) around element-wise work done here in
// TypeScript (the fused cell kernels implement the reset-after form). A compiled step runs it op by op.

/** recurrentKernel [U, 3U] → its z, r columns [U, 2U] and its h columns [U, U], each contiguous for a GEMM. */
function splitRecurrentKernel(u: Float32Array, U: number): [Float32Array, Float32Array] {
  const zr = new Float32Array(2 * U * U),
    hh = new Float32Array(U * U);
  for (let i = 0; i < U; i++) {
    zr.set(u.subarray(3 * U * i, 3 * U * i + 2 * U), 2 * U * i);
    hh.set(u.subarray(3 * U * i + 2 * U, 3 * U * (i + 1)), U * i);
  }
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
  const [uZR, uH] = splitRecurrentKernel(recKernel, U);
  const h = new Float32Array((T + 1) * BU);
  const rh = new Float32Array(T * BU);
  const zr = new Float32Array(2 * BU),
    recH = new Float32Array(BU);
  const scratch = recMask ? new Float32Array(BU) : EMPTY;
  const f = ACT[acts.act],
    g = ACT[acts.recAct];
  for (let s = 0; s < T; s++) {
    const hp = h.subarray(s * BU, (s + 1) * BU),
      hn = h.subarray((s + 1) * BU, (s + 2) * BU);
    const gs = gates.subarray(s * BG, (s + 1) * BG),
      rhs = rh.subarray(s * BU, (s + 1) * BU);
    const hIn = masked(hp, recMask, scratch);
    k.gemm(hIn, uZR, zr, gemmParams(B, 2 * U, U, false, false, 0));
    for (let b = 0; b < B; b++)
      for (let j = 0; j < U; j++) {
        const row = b * GU;
        gs[row + j] = g(gs[row + j] + zr[2 * U * b + j]);
        const r = (gs[row + U + j] = g(gs[row + U + j] + zr[2 * U * b + U + j]));
        rhs[b * U + j] = r * hIn[b * U + j];
      }
    k.gemm(rhs, uH, recH, gemmParams(B, U, U, false, false, 0));
    for (let b = 0; b < B; b++) {
      const on = !mask || mask[s * B + b] !== 0;
      for (let j = 0; j < U; j++) {
        const row = b * GU,
          i = b * U + j;
        const z = gs[row + j];
        const cand = (gs[row + 2 * U + j] = f(gs[row + 2 * U + j] + recH[i]));
        hn[i] = on ? z * hp[i] + (1 - z) * cand : hp[i];
      }
    }
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
  const [uZR, uH] = splitRecurrentKernel(sv.recurrentKernel, U);
  const df = DACT[acts.act],
    dg = DACT[acts.recAct];
  // The products' inputs: h_{t−1} with the recurrent mask, for every step.
  let hIns = sv.h.subarray(0, TB * U);
  if (recMask) {
    const hm = new Float32Array(TB * U);
    for (let i = 0; i < hm.length; i++) hm[i] = hIns[i] * recMask[i % BU];
    hIns = hm;
  }
  const dGates = new Float32Array(T * BG); // of x·W + b: [dz, dr, dĥ] pre-activations
  const dZR = new Float32Array(2 * TB * U); // [T, B, 2U]: dz, dr, for U_zr
  const dC = new Float32Array(TB * U); // [T, B, U]: dĥ, for U_h
  const dh = new Float32Array(BU),
    dRh = new Float32Array(BU),
    dhIn = new Float32Array(BU);
  for (let s = T - 1; s >= 0; s--) {
    if (p.seq) for (let i = 0; i < BU; i++) dh[i] += dhSeq[s * BU + i];
    else if (s === T - 1) for (let i = 0; i < BU; i++) dh[i] += dy[i];
    const gs = sv.gates.subarray(s * BG, (s + 1) * BG),
      dgs = dGates.subarray(s * BG, (s + 1) * BG);
    const hp = sv.h.subarray(s * BU, (s + 1) * BU),
      hIn = hIns.subarray(s * BU, (s + 1) * BU);
    const dzr = dZR.subarray(2 * s * BU, 2 * (s + 1) * BU),
      dc = dC.subarray(s * BU, (s + 1) * BU);
    for (let b = 0; b < B; b++) {
      const on = !sv.mask || sv.mask[s * B + b] !== 0;
      for (let j = 0; j < U; j++) {
        const row = b * GU,
          i = b * U + j;
        if (!on) {
          // A masked step carries h through: its gradient passes on to h_{t−1} unchanged.
          dgs[row + j] = dzr[2 * U * b + j] = dc[i] = dgs[row + 2 * U + j] = 0;
          continue;
        }
        const z = gs[row + j],
          cand = gs[row + 2 * U + j],
          dht = dh[i];
        dgs[row + 2 * U + j] = dc[i] = dht * (1 - z) * df(cand);
        dgs[row + j] = dzr[2 * U * b + j] = dht * (hp[i] - cand) * dg(z);
        dh[i] = dht * z;
      }
    }
    // d(r ⊙ hIn) = dĥ·U_hᵀ; dr = d(r ⊙ hIn) ⊙ hIn; its share of dhIn is d(r ⊙ hIn) ⊙ r (0 on masked rows, whose dĥ is 0).
    k.gemm(dc, uH, dRh, gemmParams(B, U, U, false, true, 0));
    for (let b = 0; b < B; b++)
      for (let j = 0; j < U; j++) {
        const row = b * GU,
          i = b * U + j;
        const r = gs[row + U + j];
        dgs[row + U + j] = dzr[2 * U * b + U + j] = dRh[i] * hIn[i] * dg(r);
        dRh[i] *= r;
      }
    if (s === 0) break; // dh_0 would be the initial state's gradient: zeros are constant
    k.gemm(dzr, uZR, dhIn, gemmParams(B, U, 2 * U, false, true, 0));
    for (let i = 0; i < BU; i++) dh[i] += (dhIn[i] + dRh[i]) * (recMask ? recMask[i] : 1);
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
    for (let i = 0; i < U; i++) {
      dU.raw.set(dUzr.subarray(2 * U * i, 2 * U * (i + 1)), GU * i);
      dU.raw.set(dUh.subarray(U * i, U * (i + 1)), GU * i + 2 * U);
    }
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
