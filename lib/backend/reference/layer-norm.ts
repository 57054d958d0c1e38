import type { LayerNormGrads } from '../backend.js';

/** (x − mean)/√(var + eps)·gamma + beta over each row, mean and (biased) variance in two passes. */
export function layerNorm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): void {
  if (cols === 0) return;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[o + j];
    const mu = s / cols;
    let ss = 0;
    for (let j = 0; j < cols; j++) ss += (x[o + j] - mu) ** 2;
    mean[r] = mu;
    rstd[r] = 1 / Math.sqrt(ss / cols + eps);
    const m = mean[r],
      inv = rstd[r];
    for (let j = 0; j < cols; j++) {
      const n = Math.fround(x[o + j] - m) * inv;
      out[o + j] = (gamma.length ? n * gamma[j] : n) + (beta.length ? beta[j] : 0);
    }
  }
}

/** dx = rstd·(g − mean(g) − x̂·mean(g⊙x̂)) with g = dy⊙gamma; dgamma = Σ dy⊙x̂, dbeta = Σ dy over rows. */
export function layerNormBackward(
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  dy: Float32Array,
  g: LayerNormGrads,
  rows: number,
  cols: number,
): void {
  const { dx, dgamma, dbeta } = g;
  dgamma.fill(0);
  dbeta.fill(0);
  if (cols === 0) return;
  const xhat = (o: number, j: number, r: number) => (x[o + j] - mean[r]) * rstd[r];
  const gOf = (o: number, j: number) => (gamma.length ? dy[o + j] * gamma[j] : dy[o + j]);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < dgamma.length; j++) dgamma[j] += dy[o + j] * xhat(o, j, r);
    for (let j = 0; j < dbeta.length; j++) dbeta[j] += dy[o + j];
    if (!dx.length) continue;
    let sg = 0,
      sgx = 0;
    for (let j = 0; j < cols; j++) {
      sg += gOf(o, j);
      sgx += gOf(o, j) * xhat(o, j, r);
    }
    for (let j = 0; j < cols; j++) dx[o + j] = rstd[r] * (gOf(o, j) - sg / cols - xhat(o, j, r) * (sgx / cols));
  }
}
