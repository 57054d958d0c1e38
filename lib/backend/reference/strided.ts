import type { BroadcastPlan } from '../strides.js';

/**
 * Walk a broadcast plan in output order, calling visit(outIndex, offsets) with one read offset per operand.
 * The plan has merged every axis it could, so most calls have rank 1 or 2.
 */
export function forEachStrided(plan: BroadcastPlan, visit: (i: number, offs: number[]) => void): void {
  const { shape, strides } = plan;
  const rank = shape.length;
  const k = strides.length;
  const offs = new Array<number>(k).fill(0);
  if (rank === 0) {
    visit(0, offs);
    return;
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    visit(i, offs);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      for (let q = 0; q < k; q++) offs[q] += strides[q][d];
      if (idx[d] < shape[d]) break;
      for (let q = 0; q < k; q++) offs[q] -= strides[q][d] * shape[d];
      idx[d] = 0;
    }
  }
}
