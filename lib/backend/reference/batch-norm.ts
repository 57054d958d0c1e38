import type { LayerNormGrads } from '../backend.js';

const f = Math.fround;

/**
 * Batch normalization in training of [rows, cols] over rows: the batch mean and (biased) variance per column in two
 * passes (in double, rows in order), then out = (x − mean)·(rstd·gamma) + beta in float32 steps, as the native kernel.
 */
export function batchNorm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  out: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  rstd: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): void {
  if (cols === 0) return;
  const mu = new Float64Array(cols),
    ss = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0, o = r * cols; j < cols; j++) mu[j] += x[o + j];
  for (let j = 0; j < cols; j++) mu[j] /= rows;
  for (let r = 0; r < rows; r++)
    for (let j = 0, o = r * cols; j < cols; j++) {
      const d = x[o + j] - mu[j];
      ss[j] += d * d;
    }
  const scale = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    const v = ss[j] / rows;
    mean[j] = mu[j];
    variance[j] = v;
    rstd[j] = 1 / Math.sqrt(v + f(eps));
    scale[j] = gamma.length ? rstd[j] * gamma[j] : rstd[j];
  }
  for (let r = 0; r < rows; r++)
    for (let j = 0, o = r * cols; j < cols; j++) {
      const n = f(f(x[o + j] - mean[j]) * scale[j]);
      out[o + j] = beta.length ? n + beta[j] : n;
    }
}

/** dgamma = Σ dy⊙x̂, dbeta = Σ dy over rows; dx = rstd·gamma·(dy − Σdy/rows − x̂·Σ(dy⊙x̂)/rows) with x̂ = (x − mean)·rstd. */
export function batchNormBackward(
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
  const sdy = new Float64Array(cols),
    sdyx = new Float64Array(cols);
  const xhat = (i: number, j: number) => f(f(x[i] - mean[j]) * rstd[j]);
  for (let r = 0; r < rows; r++)
    for (let j = 0, o = r * cols; j < cols; j++) {
      sdy[j] += dy[o + j];
      sdyx[j] += dy[o + j] * xhat(o + j, j);
    }
  if (dgamma.length) dgamma.set(sdyx);
  if (dbeta.length) dbeta.set(sdy);
  if (!dx.length || rows === 0) return;
  const k = new Float32Array(cols),
    a = new Float32Array(cols),
    b = new Float32Array(cols);
  for (let j = 0; j < cols; j++) {
    k[j] = gamma.length ? rstd[j] * gamma[j] : rstd[j];
    a[j] = sdy[j] / rows;
    b[j] = sdyx[j] / rows;
  }
  for (let r = 0; r < rows; r++)
    for (let j = 0, o = r * cols; j < cols; j++) dx[o + j] = k[j] * f(f(dy[o + j] - a[j]) - f(xhat(o + j, j) * b[j]));
}

/** avg = avg·momentum + x·(1 − momentum) in place, each product and the sum rounded to float32. */
export function movingAverage(avg: Float32Array, x: Float32Array, momentum: number): void {
  const m = f(momentum),
    rest = f(1 - momentum);
  for (let i = 0; i < avg.length; i++) avg[i] = f(avg[i] * m) + f(x[i] * rest);
}
