import type { BatchStrides, GemmParams } from '../backend.js';

/** The oracle: the textbook triple loop, accumulating in float64. */
export function gemm(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams): void {
  const { m, n, k, transA, transB, alpha, beta } = p;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let q = 0; q < k; q++) {
        const av = transA ? a[q * m + i] : a[i * k + q];
        const bv = transB ? b[j * k + q] : b[q * n + j];
        acc += av * bv;
      }
      const idx = i * n + j;
      c[idx] = alpha * acc + (beta === 0 ? 0 : beta * c[idx]);
    }
  }
}

/** One gemm per batch entry, on subarray views. */
export function gemmBatched(a: Float32Array, b: Float32Array, c: Float32Array, p: GemmParams, s: BatchStrides): void {
  const sa = p.m * p.k,
    sb = p.k * p.n,
    sc = p.m * p.n;
  for (let i = 0; i < s.batch; i++) {
    const ai = i * s.strideA,
      bi = i * s.strideB;
    gemm(a.subarray(ai, ai + sa), b.subarray(bi, bi + sb), c.subarray(i * sc, (i + 1) * sc), p);
  }
}
