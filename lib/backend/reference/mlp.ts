import type { MlpForwardLayer } from '../backend.js';
import { dense } from './dense.js';

/** The dense stack's forward, layer by layer through the reference dense kernel (the oracle of mlpForwardF32). */
export function mlpForward(x: Float32Array, layers: readonly MlpForwardLayer[], rows: number, out: Float32Array): void {
  let input = x;
  layers.forEach((l, i) => {
    const y = i === layers.length - 1 ? out : new Float32Array(rows * l.n);
    dense(input, l.w, l.b, y, { m: rows, k: l.k, n: l.n }, l.act);
    input = y;
  });
}
