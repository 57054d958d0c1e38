import type { RnnActs, RnnStepDims } from '../backend.js';
import type { RnnActivation } from '../kinds.js';

// One recurrent step's element-wise work, written as the equations read (Keras' cells). Gate blocks:
// LSTM i, f, c, o; GRU z, r, h. A row whose mask is 0 carries its state through. GRU's reset-before form
// (resetAfter false) is two kernels each way, around the GEMM of r ⊙ h (gruReset*, at the end).

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** The cell activations, element by element. */
const ACT: Record<RnnActivation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid,
  tanh: Math.tanh,
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
};

/** act'(x) in terms of y = act(x). */
const DACT: Record<RnnActivation, (y: number) => number> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  hardSigmoid: (y) => (y > 0 && y < 1 ? 0.2 : 0),
};

const steps = (mask: Float32Array, b: number) => mask.length === 0 || mask[b] !== 0;

export function lstmCell(
  gates: Float32Array,
  cPrev: Float32Array,
  hPrev: Float32Array,
  mask: Float32Array,
  c: Float32Array,
  h: Float32Array,
  d: RnnStepDims,
  a: RnnActs,
): void {
  const { batch, units: u } = d;
  const f = ACT[a.act],
    g = ACT[a.recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * u;
    for (let j = 0; j < u; j++) {
      const i = (gates[row + j] = g(gates[row + j]));
      const fg = (gates[row + u + j] = g(gates[row + u + j]));
      const cand = (gates[row + 2 * u + j] = f(gates[row + 2 * u + j]));
      const o = (gates[row + 3 * u + j] = g(gates[row + 3 * u + j]));
      const k = b * u + j;
      if (!steps(mask, b)) {
        c[k] = cPrev[k];
        h[k] = hPrev[k];
        continue;
      }
      c[k] = fg * cPrev[k] + i * cand;
      h[k] = o * f(c[k]);
    }
  }
}

export function lstmCellBackward(
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
): void {
  const { batch, units: u } = d;
  const f = ACT[a.act],
    df = DACT[a.act],
    dg = DACT[a.recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * u;
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      if (dhOut.length) dh[k] += dhOut[k];
      if (!steps(mask, b)) {
        dGates[row + j] = dGates[row + u + j] = dGates[row + 2 * u + j] = dGates[row + 3 * u + j] = 0;
        continue;
      }
      const i = gates[row + j],
        fg = gates[row + u + j],
        cand = gates[row + 2 * u + j],
        o = gates[row + 3 * u + j];
      const tc = f(c[k]);
      const dct = dc[k] + dh[k] * o * df(tc);
      dGates[row + j] = dct * cand * dg(i);
      dGates[row + u + j] = dct * cPrev[k] * dg(fg);
      dGates[row + 2 * u + j] = dct * i * df(cand);
      dGates[row + 3 * u + j] = dh[k] * tc * dg(o);
      dc[k] = dct * fg;
      dh[k] = 0;
    }
  }
}

export function gruCell(
  gates: Float32Array,
  rec: Float32Array,
  recBias: Float32Array,
  hPrev: Float32Array,
  mask: Float32Array,
  h: Float32Array,
  d: RnnStepDims,
  a: RnnActs,
): void {
  const { batch, units: u } = d;
  const f = ACT[a.act],
    g = ACT[a.recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * u;
    if (recBias.length) for (let j = 0; j < 3 * u; j++) rec[row + j] += recBias[j];
    for (let j = 0; j < u; j++) {
      const z = (gates[row + j] = g(gates[row + j] + rec[row + j]));
      const r = (gates[row + u + j] = g(gates[row + u + j] + rec[row + u + j]));
      const cand = (gates[row + 2 * u + j] = f(gates[row + 2 * u + j] + r * rec[row + 2 * u + j]));
      const k = b * u + j;
      h[k] = steps(mask, b) ? z * hPrev[k] + (1 - z) * cand : hPrev[k];
    }
  }
}

export function gruCellBackward(
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
): void {
  const { batch, units: u } = d;
  const df = DACT[a.act],
    dg = DACT[a.recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * u;
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      if (dhOut.length) dh[k] += dhOut[k];
      if (!steps(mask, b)) {
        for (const q of [0, u, 2 * u]) dGates[row + q + j] = dRec[row + q + j] = 0;
        continue;
      }
      const z = gates[row + j],
        r = gates[row + u + j],
        cand = gates[row + 2 * u + j];
      const dht = dh[k];
      const dCand = dht * (1 - z) * df(cand);
      dGates[row + j] = dRec[row + j] = dht * (hPrev[k] - cand) * dg(z);
      dGates[row + u + j] = dRec[row + u + j] = dCand * rec[row + 2 * u + j] * dg(r);
      dGates[row + 2 * u + j] = dCand;
      dRec[row + 2 * u + j] = dCand * r;
      dh[k] = dht * z;
    }
  }
}

export function rnnCell(
  gates: Float32Array,
  hPrev: Float32Array,
  mask: Float32Array,
  h: Float32Array,
  d: RnnStepDims,
  act: RnnActivation,
): void {
  const { batch, units: u } = d;
  const f = ACT[act];
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      gates[k] = f(gates[k]);
      h[k] = steps(mask, b) ? gates[k] : hPrev[k];
    }
}

export function rnnCellBackward(
  gates: Float32Array,
  mask: Float32Array,
  dhOut: Float32Array,
  dh: Float32Array,
  dGates: Float32Array,
  d: RnnStepDims,
  act: RnnActivation,
): void {
  const { batch, units: u } = d;
  const df = DACT[act];
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      if (dhOut.length) dh[k] += dhOut[k];
      if (!steps(mask, b)) {
        dGates[k] = 0;
        continue;
      }
      dGates[k] = dh[k] * df(gates[k]);
      dh[k] = 0;
    }
}

/** z, r = recAct(x·W_zr + b_zr + hIn·U_zr) over gates' first two blocks (zr: hIn·U_zr); rh = r ⊙ hIn. */
export function gruResetGates(
  gates: Float32Array,
  zr: Float32Array,
  hIn: Float32Array,
  rh: Float32Array,
  d: RnnStepDims,
  recAct: RnnActivation,
): void {
  const { batch, units: u } = d;
  const g = ACT[recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * u;
    for (let j = 0; j < 2 * u; j++) gates[row + j] = g(gates[row + j] + zr[b * 2 * u + j]);
    for (let j = 0; j < u; j++) rh[b * u + j] = gates[row + u + j] * hIn[b * u + j];
  }
}

/** ĥ = act(x·W_h + b_h + (r ⊙ hIn)·U_h) (recH: the product); h = z·hPrev + (1 − z)·ĥ. */
export function gruResetCell(
  gates: Float32Array,
  recH: Float32Array,
  hPrev: Float32Array,
  mask: Float32Array,
  h: Float32Array,
  d: RnnStepDims,
  act: RnnActivation,
): void {
  const { batch, units: u } = d;
  const f = ACT[act];
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * u;
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      const z = gates[row + j];
      const cand = (gates[row + 2 * u + j] = f(gates[row + 2 * u + j] + recH[k]));
      h[k] = steps(mask, b) ? z * hPrev[k] + (1 - z) * cand : hPrev[k];
    }
  }
}

export function gruResetCellBackward(
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
): void {
  const { batch, units: u } = d;
  const df = DACT[a.act],
    dg = DACT[a.recAct];
  for (let b = 0; b < batch; b++) {
    const row = b * 3 * u;
    for (let j = 0; j < u; j++) {
      const k = b * u + j;
      if (dhOut.length) dh[k] += dhOut[k];
      if (dhIn.length) dh[k] += recMask.length ? dhIn[k] * recMask[k] : dhIn[k];
      if (!steps(mask, b)) {
        // h_t = h_{t−1}: the gradient passes on unchanged
        dGates[row + j] = dGates[row + 2 * u + j] = dZR[b * 2 * u + j] = dC[k] = 0;
        continue;
      }
      const z = gates[row + j],
        cand = gates[row + 2 * u + j],
        dht = dh[k];
      dGates[row + 2 * u + j] = dC[k] = dht * (1 - z) * df(cand);
      dGates[row + j] = dZR[b * 2 * u + j] = dht * (hPrev[k] - cand) * dg(z);
      dh[k] = dht * z;
    }
  }
}

export function gruResetGatesBackward(
  gates: Float32Array,
  hIn: Float32Array,
  mask: Float32Array,
  dRh: Float32Array,
  dGates: Float32Array,
  dZR: Float32Array,
  dhIn: Float32Array,
  d: RnnStepDims,
  recAct: RnnActivation,
): void {
  const { batch, units: u } = d;
  const dg = DACT[recAct];
  for (let b = 0; b < batch; b++)
    for (let j = 0; j < u; j++) {
      const k = b * u + j,
        q = b * 3 * u + u + j;
      if (!steps(mask, b)) {
        dGates[q] = dZR[b * 2 * u + u + j] = dhIn[k] = 0;
        continue;
      }
      const r = gates[q];
      dGates[q] = dZR[b * 2 * u + u + j] = dRh[k] * hIn[k] * dg(r);
      dhIn[k] = dRh[k] * r;
    }
}
