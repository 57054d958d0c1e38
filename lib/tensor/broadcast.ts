import type { BroadcastPlan } from '../backend/strides.js';
import { type Shape, stridesOf } from './shape.js';

export type { BroadcastPlan };

/** The plan of a broadcasting kernel over inputs broadcast to out (the fields: backend/strides.ts). */
export function broadcastPlan(out: Shape, inputs: readonly Shape[]): BroadcastPlan {
  const rank = out.length;
  // Per operand, per output axis: the stride (0 when the operand has size 1 there or lacks the axis).
  const full = inputs.map((s) => {
    const st = stridesOf(s);
    return out.map((_, i) => {
      const j = i - (rank - s.length);
      return j < 0 || s[j] === 1 ? 0 : st[j];
    });
  });
  const shape: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  for (let i = 0; i < rank; i++) {
    if (out[i] === 1) continue; // size-1 axes add nothing
    const last = shape.length - 1;
    // Merge axis i into the previous kept axis when every operand is contiguous across the seam.
    const merge = last >= 0 && full.every((f, k) => strides[k][last] === f[i] * out[i]);
    if (merge) {
      shape[last] *= out[i];
      for (let k = 0; k < full.length; k++) strides[k][last] = full[k][i];
    } else {
      shape.push(out[i]);
      for (let k = 0; k < full.length; k++) strides[k].push(full[k][i]);
    }
  }
  return { shape, strides };
}
