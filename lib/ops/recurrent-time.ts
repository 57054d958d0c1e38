import type { Backend, GemmParams, RnnActs } from '../backend/backend.js';
import { hostStep } from '../backend/recording.js';
import { broadcastPlan } from '../tensor/broadcast.js';
import type { RnnCellKind } from './recurrent.js';

// What the recurrent op's two forms (ops/recurrent.ts, ops/recurrent-reset-before.ts) share: the plan of one call,
// what the forward pass keeps, and the time-major layout helpers (host steps where they move values in JavaScript).

/** Absent optional arrays (no mask, no cell state). */
export const EMPTY = new Float32Array(0);

export interface Plan {
  readonly cell: RnnCellKind;
  readonly B: number;
  readonly T: number;
  readonly F: number;
  readonly U: number;
  readonly g: number;
  readonly acts: RnnActs;
  readonly seq: boolean;
  readonly returnCell: boolean;
  readonly backwards: boolean;
  readonly recMask: Float32Array | null;
  /** GRU with resetAfter false. */
  readonly resetBefore: boolean;
}

/** What the forward pass keeps for backward, all time-major. */
export interface Saved {
  /** The input in processing order [T, B, F]. */
  xt: Float32Array;
  /** Gate activations [T, B, g·U]. */
  gates: Float32Array;
  /** GRU: hPrev·U + recurrent bias per step [T, B, 3U]; GRU reset-before: r ⊙ hPrev (recurrent mask applied) per step [T, B, U]. */
  rec: Float32Array;
  /** h_0 … h_T [T + 1, B, U] (h_0 = 0), and c likewise for LSTM. */
  h: Float32Array;
  c: Float32Array;
  /** [T, B] or null. */
  mask: Float32Array | null;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
}

export const gemmParams = (
  m: number,
  n: number,
  kk: number,
  transA: boolean,
  transB: boolean,
  beta: number,
): GemmParams => ({
  m,
  n,
  k: kk,
  transA,
  transB,
  alpha: 1,
  beta,
});

export function timeMajorMask(m: Float32Array, B: number, T: number, backwards: boolean): Float32Array {
  const out = new Float32Array(T * B);
  hostStep(
    [out],
    () => {
      for (let b = 0; b < B; b++)
        for (let s = 0; s < T; s++) out[s * B + b] = m[b * T + (backwards ? T - 1 - s : s)] !== 0 ? 1 : 0;
    },
    [m],
  );
  return out;
}

/** [B, T, F] → [T, B, F] in processing order (and its inverse with toBatchMajor). */
export function toTimeMajor(
  k: Backend,
  x: Float32Array,
  B: number,
  T: number,
  F: number,
  backwards: boolean,
): Float32Array {
  const out = new Float32Array(B * T * F);
  if (!backwards) k.transpose(x, out, [B, T, F], [1, 0, 2]);
  else
    hostStep(
      [out],
      () => {
        for (let s = 0; s < T; s++)
          for (let b = 0; b < B; b++)
            out.set(x.subarray((b * T + T - 1 - s) * F, (b * T + T - s) * F), (s * B + b) * F);
      },
      [x],
    );
  return out;
}
export function toBatchMajor(
  k: Backend,
  xt: Float32Array,
  B: number,
  T: number,
  F: number,
  backwards: boolean,
): Float32Array {
  const out = new Float32Array(B * T * F);
  if (!backwards) k.transpose(xt, out, [T, B, F], [1, 0, 2]);
  else
    hostStep(
      [out],
      () => {
        for (let s = 0; s < T; s++)
          for (let b = 0; b < B; b++)
            out.set(xt.subarray((s * B + b) * F, (s * B + b + 1) * F), (b * T + T - 1 - s) * F);
      },
      [xt],
    );
  return out;
}

/**
 * h ⊙ recMask into out, recMask [B, U] applied to each step of h ([S, B, U]): the recurrent products' input (h
 * itself without a recurrent mask).
 */
export function masked(k: Backend, h: Float32Array, recMask: Float32Array | null, out: Float32Array): Float32Array {
  if (!recMask) return h;
  const n = recMask.length,
    steps = n ? h.length / n : 0;
  k.binary('mul', h, recMask, out, broadcastPlan([steps, n], [[steps, n], [n]]));
  return out;
}
