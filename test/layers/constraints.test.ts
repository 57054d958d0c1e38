import * as tfjs from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectAllClose } from '../helpers/close.js';
import { expectTensileError } from '../helpers/ops.js';
import { randomArray } from '../helpers/random.js';

// Weight constraints (Keras / tfjs-layers): the projections against tfjs 4.22's, and their effect in training.
const project = (c: tl.constraints.Constraint, values: Float32Array, shape: number[]): Float32Array => {
  const w = values.slice();
  c.apply(w, shape);
  return w;
};

describe('constraints', () => {
  it('hand values: maxNorm, unitNorm, nonNeg, minMaxNorm over the kernel columns (axis 0)', () => {
    const w = Float32Array.of(3, 0, 4, 1); // [[3, 0], [4, 1]]: column norms 5 and 1
    expectAllClose(project(tl.constraints.maxNorm({ maxValue: 2 }), w, [2, 2]), [1.2, 0, 1.6, 1], { rtol: 1e-6 });
    expectAllClose(project(tl.constraints.unitNorm(), w, [2, 2]), [0.6, 0, 0.8, 1], { rtol: 1e-6 });
    expectAllClose(project(tl.constraints.nonNeg(), Float32Array.of(-1, 2, -0, Number.NaN), [4]), [
      0,
      2,
      -0,
      Number.NaN,
    ]);
    // rate 0.5: halfway between the norm and its clipped value (5 → 3.5; 1 stays 1 inside [0.5, 2]).
    expectAllClose(
      project(tl.constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5 }), w, [2, 2]),
      [2.1, 0, 2.8, 1],
      { rtol: 1e-6 },
    );
    // An all-zero column stays zero (ε in the denominator), an empty weight is left alone.
    expectAllClose(project(tl.constraints.unitNorm(), new Float32Array(4), [2, 2]), [0, 0, 0, 0]);
    expect(project(tl.constraints.maxNorm(), new Float32Array(0), [0, 3]).length).toBe(0);
  });

  it('equal to tfjs 4.22 over random shapes and axes (Dense and conv kernels, size-1 dims, large values)', () => {
    const cases: [number[], number | number[]][] = [
      [[5, 3], 0],
      [[1, 4], 0],
      [
        [3, 3, 2, 4],
        [0, 1, 2],
      ],
      [[2, 1, 3], -1],
      [[6], 0],
    ];
    cases.forEach(([shape, axis], i) => {
      const values = Float32Array.from(
        randomArray(
          shape.reduce((a, b) => a * b, 1),
          10 + i,
        ),
        (v, j) => (j % 7 === 0 ? v * 1e4 : v),
      );
      const pairs: [tl.constraints.Constraint, { apply(w: tfjs.Tensor): tfjs.Tensor }][] = [
        [
          tl.constraints.maxNorm({ maxValue: 1.5, axis }),
          tfjs.constraints.maxNorm({ maxValue: 1.5, axis: axis as number }),
        ],
        [tl.constraints.unitNorm({ axis }), tfjs.constraints.unitNorm({ axis: axis as number })],
        [
          tl.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.7, axis }),
          tfjs.constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.7, axis: axis as number }),
        ],
        [tl.constraints.nonNeg(), tfjs.constraints.nonNeg()],
      ];
      for (const [ours, theirs] of pairs) {
        const want = theirs.apply(tfjs.tensor(values, shape)).dataSync();
        expectAllClose(project(ours, values, shape), want, { rtol: 1e-5, atol: 1e-6 });
      }
    });
  });

  it('training keeps Dense (fused path) and Conv2D kernels projected; saved and loaded with the model', async () => {
    tl.setSeed(2);
    const x = tl.randn([64, 3]);
    const y = x.matmul(tl.tensor([[3], [-2], [5]]));
    const m = tl.sequential({
      layers: [
        tl.layers.dense({
          units: 4,
          inputShape: [3],
          activation: 'relu',
          kernelConstraint: tl.constraints.maxNorm({ maxValue: 0.5 }),
        }),
        tl.layers.dense({ units: 1, kernelConstraint: 'nonNeg' }),
      ],
    });
    m.compile({ optimizer: tl.optimizers.sgd(0.1), loss: 'mse' });
    await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const [k0, , k1] = m.getWeights().map((w) => w.arraySync() as number[][]);
    for (let u = 0; u < 4; u++) expect(Math.hypot(...k0.map((row) => row[u]))).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(k1.flat().every((v) => v >= 0)).toBe(true);

    const c = tl.sequential({
      layers: [
        tl.layers.conv2d({
          filters: 2,
          kernelSize: 2,
          inputShape: [4, 4, 1],
          kernelConstraint: tl.constraints.unitNorm({ axis: [0, 1, 2] }),
        }),
        tl.layers.flatten(),
        tl.layers.dense({ units: 1 }),
      ],
    });
    c.compile({ optimizer: 'adam', loss: 'mse' });
    await c.fit(tl.randn([8, 4, 4, 1]), tl.randn([8, 1]), { epochs: 2, verbose: 0 });
    const kc = c.getWeights()[0].dataSync(); // [2, 2, 1, 2]: each filter's 4 values have norm 1
    for (let f = 0; f < 2; f++) expect(Math.hypot(...[0, 1, 2, 3].map((i) => kc[i * 2 + f]))).toBeCloseTo(1, 5);

    const dir = mkdtempSync(join(tmpdir(), 'tensile-constraints-'));
    await m.save(`file://${dir}`);
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(loaded.layers[0].getConfig().kernelConstraint).toEqual({
      className: 'MaxNorm',
      config: { maxValue: 0.5, axis: 0 },
    });
    expect(loaded.layers[1].getConfig().kernelConstraint).toEqual({ className: 'NonNeg', config: {} });
    expect(loaded.layers[0].getConfig().biasConstraint).toBeNull();
  });

  it('bad input: TensileErrors naming the constraint or the layer', () => {
    expectTensileError(() => tl.layers.dense({ units: 1, kernelConstraint: 'maxNrom' }), 'layers.dense', 'maxNorm');
    expectTensileError(() => tl.constraints.maxNorm({ maxValue: -1 }), 'constraints.maxNorm', 'maxValue');
    expectTensileError(
      () => tl.constraints.minMaxNorm({ minValue: 2, maxValue: 1 }),
      'constraints.minMaxNorm',
      'maxValue',
    );
    expectTensileError(() => tl.constraints.maxNorm({ max_value: 2 } as never), 'constraints.maxNorm', 'max_value');
    expectTensileError(
      () => project(tl.constraints.unitNorm({ axis: 3 }), new Float32Array(4), [2, 2]),
      'constraints.unitNorm',
      'axis 3',
    );
  });
});
