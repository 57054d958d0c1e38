import type { DenseDims, DenseGrads } from '../backend.js';
import type { DenseActivation } from '../kinds.js';
import { unary } from './elementwise.js';
import { gemm } from './gemm.js';
import { softmax } from './softmax.js';

export function dense(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  out: Float32Array,
  d: DenseDims,
  act: DenseActivation,
): void {
  const { m, k, n } = d;
  const pre = act === 'linear' ? out : new Float32Array(m * n);
  gemm(x, w, pre, { m, n, k, transA: false, transB: false, alpha: 1, beta: 0 });
  if (b.length) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) pre[i * n + j] += b[j];
  if (act === 'softmax') softmax(pre, out, m, n, false);
  else if (act !== 'linear') unary(act, pre, out);
}

/** dPre = dy ⊙ act'(pre), each derivative written in terms of y = act(pre). */
function preActivationGrad(
  y: Float32Array,
  dy: Float32Array,
  m: number,
  n: number,
  act: DenseActivation,
): Float32Array {
  if (act === 'linear') return dy;
  const g = new Float32Array(m * n);
  for (let i = 0; i < g.length; i++) {
    if (act === 'relu') g[i] = y[i] > 0 ? dy[i] : 0;
    else if (act === 'sigmoid') g[i] = dy[i] * (y[i] * (1 - y[i]));
    else if (act === 'tanh') g[i] = dy[i] * (1 - y[i] * y[i]);
  }
  if (act === 'softmax') {
    for (let r = 0; r < m; r++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += dy[r * n + j] * y[r * n + j];
      for (let j = 0; j < n; j++) g[r * n + j] = y[r * n + j] * (dy[r * n + j] - dot);
    }
  }
  return g;
}

export function denseBackward(
  x: Float32Array,
  w: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  g: DenseGrads,
  d: DenseDims,
  act: DenseActivation,
): void {
  const { m, k, n } = d;
  const dpre = preActivationGrad(y, dy, m, n, act);
  if (g.dw.length) gemm(x, dpre, g.dw, { m: k, n, k: m, transA: true, transB: false, alpha: 1, beta: 0 });
  if (g.db.length) {
    g.db.fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) g.db[j] += dpre[i * n + j];
  }
  if (g.dx.length) gemm(dpre, w, g.dx, { m, n: k, k: n, transA: false, transB: true, alpha: 1, beta: 0 });
}
