import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { INITIALIZERS, getInitializer, initializerName } from '../../lib/layers/initializers.js';
import { expectTensileError } from '../helpers/ops.js';

const init = (name: string, shape: number[]): Float64Array => Float64Array.from(getInitializer('test', name)(shape));

function stats(v: Float64Array): { mean: number; variance: number; maxAbs: number } {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let variance = 0;
  let maxAbs = 0;
  for (const x of v) {
    variance += (x - mean) ** 2;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  return { mean, variance: variance / v.length, maxAbs };
}

/** [rows, cols] matrix products of a row-major matrix: WᵀW (cols × cols) and WWᵀ (rows × rows). */
function gram(w: Float64Array, rows: number, cols: number, transposeFirst: boolean): number[][] {
  const n = transposeFirst ? cols : rows;
  const g = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (transposeFirst) for (let r = 0; r < rows; r++) s += w[r * cols + i] * w[r * cols + j];
      else for (let c = 0; c < cols; c++) s += w[i * cols + c] * w[j * cols + c];
      g[i][j] = s;
    }
  return g;
}

function expectIdentity(g: number[][], atol: number): void {
  let worst = 0;
  g.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (i === j ? 1 : 0))))));
  expect(worst).toBeLessThan(atol);
}

describe('initializers', () => {
  it('are reproducible under tl.setSeed, and differ between seeds', () => {
    for (const name of [
      'glorotUniform',
      'glorotNormal',
      'heNormal',
      'heUniform',
      'lecunNormal',
      'randomNormal',
      'orthogonal',
    ]) {
      tl.setSeed(7);
      const a = init(name, [6, 5]);
      tl.setSeed(7);
      const b = init(name, [6, 5]);
      tl.setSeed(8);
      const c = init(name, [6, 5]);
      expect(Array.from(a), name).toEqual(Array.from(b));
      expect(Array.from(a), name).not.toEqual(Array.from(c));
    }
  });

  it('a Dense kernel is seeded the same way through the public API', () => {
    tl.setSeed(42);
    const a = tl.layers.dense({ units: 4, inputShape: [3] });
    tl.sequential({ layers: [a] });
    tl.setSeed(42);
    const b = tl.layers.dense({ units: 4, inputShape: [3] });
    tl.sequential({ layers: [b] });
    expect(Array.from(a.getWeights()[0].data)).toEqual(Array.from(b.getWeights()[0].data));
    expect(Array.from(a.getWeights()[1].data)).toEqual([0, 0, 0, 0]); // bias: zeros
  });

  it('zeros and ones', () => {
    expect(Array.from(init('zeros', [2, 3]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(init('ones', [3]))).toEqual([1, 1, 1]);
  });

  it('glorotUniform: within ±sqrt(6/(in+out)), variance 2/(in+out), mean 0', () => {
    tl.setSeed(1);
    const [fanIn, fanOut] = [200, 100];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const s = stats(init('glorotUniform', [fanIn, fanOut]));
    expect(s.maxAbs).toBeLessThanOrEqual(limit);
    expect(s.maxAbs).toBeGreaterThan(0.99 * limit); // it does use the whole range
    expect(s.variance / (2 / (fanIn + fanOut))).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * limit);
  });

  it('heNormal: std sqrt(2/fanIn) after truncation at 2σ (std corrected by 0.8796)', () => {
    tl.setSeed(2);
    const fanIn = 400;
    const target = Math.sqrt(2 / fanIn);
    const s = stats(init('heNormal', [fanIn, 50]));
    expect(Math.sqrt(s.variance) / target).toBeGreaterThan(0.97);
    expect(Math.sqrt(s.variance) / target).toBeLessThan(1.03);
    // Truncated at two standard deviations of the underlying (uncorrected) normal.
    const raw = target / 0.8796256610342398;
    expect(s.maxAbs).toBeLessThanOrEqual(2 * raw * (1 + 1e-6));
    expect(s.maxAbs).toBeGreaterThan(1.9 * raw);
  });

  it('glorotNormal and lecunNormal: std sqrt(2/(in+out)) and sqrt(1/fanIn); heUniform: limit sqrt(6/fanIn)', () => {
    tl.setSeed(3);
    const g = stats(init('glorotNormal', [300, 100]));
    expect(Math.sqrt(g.variance) / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    const l = stats(init('lecunNormal', [300, 100]));
    expect(Math.sqrt(l.variance) / Math.sqrt(1 / 300)).toBeCloseTo(1, 1);
    const h = stats(init('heUniform', [300, 100]));
    expect(h.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(h.maxAbs).toBeGreaterThan(0.99 * Math.sqrt(6 / 300));
  });

  it('conv-shaped kernels [kh, kw, in, out] use fans in·kh·kw and out·kh·kw (Keras)', () => {
    tl.setSeed(4);
    const shape = [3, 3, 16, 32];
    const [fanIn, fanOut] = [3 * 3 * 16, 3 * 3 * 32];
    const g = stats(init('glorotUniform', shape));
    expect(g.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
    expect(g.maxAbs).toBeGreaterThan(0.99 * Math.sqrt(6 / (fanIn + fanOut)));
    expect(g.variance / (2 / (fanIn + fanOut))).toBeCloseTo(1, 1);
    const h = stats(init('heNormal', shape));
    expect(Math.sqrt(h.variance) / Math.sqrt(2 / fanIn)).toBeGreaterThan(0.96);
    expect(Math.sqrt(h.variance) / Math.sqrt(2 / fanIn)).toBeLessThan(1.04);
  });

  it('orthogonal: WᵀW = I for a tall [64, 32], WWᵀ = I for a wide [32, 64]', () => {
    tl.setSeed(5);
    expectIdentity(gram(init('orthogonal', [64, 32]), 64, 32, true), 1e-5);
    expectIdentity(gram(init('orthogonal', [32, 64]), 32, 64, false), 1e-5);
    expectIdentity(gram(init('orthogonal', [16, 16]), 16, 16, true), 1e-5);
    // Rank > 2 is flattened to [prod(leading), last], as Keras does.
    expectIdentity(gram(init('orthogonal', [3, 3, 4, 8]), 36, 8, true), 1e-5);
  });

  it('orthogonal needs rank ≥ 2', () => {
    expectTensileError(() => init('orthogonal', [5]), 'orthogonal', 'rank ≥ 2');
  });

  it('names resolve in camelCase, snake_case and Keras class names; unknown names suggest', () => {
    for (const [alias, name] of [
      ['glorot_uniform', 'glorotUniform'],
      ['GlorotUniform', 'glorotUniform'],
      ['he_normal', 'heNormal'],
      ['Zeros', 'zeros'],
      ['Ones', 'ones'],
      ['RandomNormal', 'randomNormal'],
    ])
      expect(getInitializer('test', alias)).toBe(INITIALIZERS[name]);
    expect(initializerName(getInitializer('test', 'he_normal'))).toBe('heNormal');
    expectTensileError(
      () => tl.layers.dense({ units: 2, kernelInitializer: 'glorotUnifrom' }),
      'layers.dense',
      "unknown initializer 'glorotUnifrom'",
      "did you mean 'glorotUniform'?",
    );
  });

  it('a Dense layer takes an initializer by name or as a function', () => {
    const d = tl.layers.dense({
      units: 2,
      kernelInitializer: 'ones',
      biasInitializer: (s) => new Float32Array(s[0]).fill(0.5),
    });
    d.ensureBuilt([null, 3]);
    expect(Array.from(d.getWeights()[0].data)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(d.getWeights()[1].data)).toEqual([0.5, 0.5]);
    expect(d.getConfig()).toMatchObject({ kernelInitializer: 'ones', biasInitializer: 'custom' });
  });
});
