import type { ReduceDims } from '../backend.js';
import type { ReduceOp } from '../kinds.js';

export function reduce(op: ReduceOp, x: Float32Array, out: Float32Array, { outer, n, inner }: ReduceDims): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      for (let j = 0; j < n; j++) {
        const v = x[base + j * inner];
        if (op === 'sum') acc += v;
        else if (v !== v)
          acc = NaN; // NaN wins a max or min, as in NumPy
        else if (acc === acc && (op === 'max' ? v > acc : v < acc)) acc = v;
      }
      out[o * inner + i] = acc;
    }
  }
}

export function argmax(x: Float32Array, out: Float32Array, { outer, n, inner }: ReduceDims): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestV = x[base];
      for (let j = 1; j < n && bestV === bestV; j++) {
        const v = x[base + j * inner];
        if (v > bestV || v !== v) {
          best = j;
          bestV = v;
        }
      }
      out[o * inner + i] = best; // the first maximum; the first NaN if any, as in NumPy
    }
  }
}
