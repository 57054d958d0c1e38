import type { CrossentropyKind } from '../backend.js';

// Keras' crossentropies on probabilities, per row of a [rows, cols] matrix, with p clipped to [eps, 1 − eps].
// Forward and exact gradient (zero where the clip is active, as autograd through clip would give).
// The clip bounds are float32 values, as in Keras: 1 − 1e-7 rounds to 0.99999988, so log(1 − p) bottoms out at ln 1.19e-7.
const bounds = (eps: number): [number, number] => [Math.fround(eps), Math.fround(1 - eps)];

export function crossentropy(
  kind: CrossentropyKind,
  y: Float32Array,
  p: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): void {
  const [lo, hi] = bounds(eps);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let acc = 0;
    if (kind === 'binary') {
      for (let j = 0; j < cols; j++) {
        const pc = Math.min(Math.max(p[o + j], lo), hi);
        acc -= y[o + j] * Math.log(pc) + (1 - y[o + j]) * Math.log(Math.fround(1 - pc)); // 1 − p in float32, as Keras
      }
      out[r] = acc / cols;
    } else {
      let s = 0;
      for (let j = 0; j < cols; j++) s += p[o + j];
      for (let j = 0; j < cols; j++) acc -= y[o + j] * Math.log(Math.min(Math.max(p[o + j] / s, lo), hi));
      out[r] = acc;
    }
  }
}

export function crossentropyBackward(
  kind: CrossentropyKind,
  y: Float32Array,
  p: Float32Array,
  dy: Float32Array,
  dp: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): void {
  const [lo, hi] = bounds(eps);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (kind === 'binary') {
      for (let j = 0; j < cols; j++) {
        const v = p[o + j];
        dp[o + j] = v < lo || v > hi ? 0 : (dy[r] * (-y[o + j] / v + (1 - y[o + j]) / (1 - v))) / cols;
      }
    } else {
      // L = −Σ y·log q with q = p/Σp: dL/dq_j = −y_j/q_j (0 where clipped), dL/dp_k = (g_k − Σ_j g_j·q_j)/Σp.
      let s = 0;
      for (let j = 0; j < cols; j++) s += p[o + j];
      let gq = 0;
      for (let j = 0; j < cols; j++) {
        const q = p[o + j] / s;
        const g = q < lo || q > hi ? 0 : -y[o + j] / q;
        dp[o + j] = g;
        gq += g * q;
      }
      for (let j = 0; j < cols; j++) dp[o + j] = (dy[r] * (dp[o + j] - gq)) / s;
    }
  }
}
