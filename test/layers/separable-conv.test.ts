// separableConv2d (the op) and SeparableConv2D (the layer): values against a direct loop, gradchecks of every
// input, native vs reference, Keras shapes, errors, save/load, and interop with @tensorflow/tfjs 4 both ways.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { type SeparableConv2dOptions, separableConv2d } from '../../lib/ops/index.js';
import { nativeLoaded } from '../helpers/backends.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { randomValues } from '../helpers/random.js';
import {
  availableBackends,
  expectBackendsAgree,
  expectGradsAgree,
  expectSameTensor,
  expectTensileError,
  seeded,
  useBackend,
} from '../helpers/ops.js';
import { inputs, sameBits, tempDirs } from '../io/fixtures.js';
import { expectClose, loadWithTfjs, saveWithTfjs, tfPredict, useTfjs } from '../io/tfjs.js';

const tmp = tempDirs();

type Pair = [number, number];
interface Case {
  x: number[];
  k: Pair;
  mult: number;
  filters: number;
  strides?: Pair;
  padding?: 'valid' | 'same';
  dilation?: Pair;
}

/** Keras' output size and leading pad, written out independently of lib/ops/window.ts. */
function kerasAxis(size: number, k: number, s: number, d: number, padding: 'valid' | 'same'): [number, number] {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return [Math.ceil((size - span + 1) / s), 0];
  const out = Math.ceil(size / s);
  return [out, Math.floor(Math.max((out - 1) * s + span - size, 0) / 2)];
}

/**
 * Separable convolution by its definition, in float64: mid[ci·mult + m] = Σ_window x[ci]·dk[.., ci, m], then
 * out[f] = bias[f] + Σ_j mid[j]·pk[0, 0, j, f].
 */
function direct(x: tl.Tensor, dk: tl.Tensor, pk: tl.Tensor, b: tl.Tensor | null, c: Case): tl.Tensor {
  const [n, h, wd, ci] = x.shape;
  const [kh, kw, , mult] = dk.shape;
  const f = pk.shape[3];
  const [sh, sw] = c.strides ?? [1, 1];
  const [dh, dw] = c.dilation ?? [1, 1];
  const [oh, pt] = kerasAxis(h, kh, sh, dh, c.padding ?? 'valid');
  const [ow, pl] = kerasAxis(wd, kw, sw, dw, c.padding ?? 'valid');
  const out = new Float32Array(n * oh * ow * f);
  const mid = new Float64Array(ci * mult);
  for (let bi = 0; bi < n; bi++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        mid.fill(0);
        for (let i = 0; i < ci; i++)
          for (let m = 0; m < mult; m++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * sh - pt + ky * dh,
                  ix = ox * sw - pl + kx * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                mid[i * mult + m] +=
                  x.data[((bi * h + iy) * wd + ix) * ci + i] * dk.data[((ky * kw + kx) * ci + i) * mult + m];
              }
        for (let o = 0; o < f; o++) {
          let s = b ? b.data[o] : 0;
          for (let j = 0; j < ci * mult; j++) s += mid[j] * pk.data[j * f + o];
          out[((bi * oh + oy) * ow + ox) * f + o] = s;
        }
      }
  return tl.tensor(out, [n, oh, ow, f]);
}

const opts = (c: Case): SeparableConv2dOptions => ({
  strides: c.strides,
  padding: c.padding,
  dilationRate: c.dilation,
});
/** Seeded depthwise kernel, pointwise kernel and bias for a case. */
const weightsFor = (c: Case, seed: number): [tl.Tensor, tl.Tensor, tl.Tensor] => [
  seeded([...c.k, c.x[3], c.mult], seed),
  seeded([1, 1, c.x[3] * c.mult, c.filters], seed + 1),
  seeded([c.filters], seed + 2),
];

// 1×1 windows, multiplier 1 and > 1, stride > kernel, 'same' with even kernels, dilation, batch 1, non-square everything.
const CASES: Case[] = [
  { x: [1, 5, 5, 1], k: [3, 3], mult: 1, filters: 1 },
  { x: [2, 6, 7, 3], k: [3, 3], mult: 2, filters: 4, padding: 'same' },
  { x: [2, 5, 4, 3], k: [1, 1], mult: 1, filters: 5 },
  { x: [1, 5, 5, 2], k: [1, 1], mult: 3, filters: 2, strides: [2, 2] },
  { x: [2, 9, 8, 2], k: [2, 2], mult: 2, filters: 3, strides: [3, 3] },
  { x: [1, 6, 5, 2], k: [2, 2], mult: 1, filters: 3, padding: 'same' },
  { x: [2, 7, 6, 2], k: [4, 3], mult: 2, filters: 3, padding: 'same', strides: [2, 3] },
  { x: [1, 8, 7, 2], k: [3, 2], mult: 2, filters: 2, dilation: [2, 3] },
  { x: [2, 7, 7, 1], k: [3, 3], mult: 3, filters: 2, padding: 'same', dilation: [2, 2] },
];
const label = (c: Case) =>
  `x ${c.x} k ${c.k} ×${c.mult} → ${c.filters} s ${c.strides ?? 1} ${c.padding ?? 'valid'} d ${c.dilation ?? 1}`;

describe.each(availableBackends())('separableConv2d on %s', (backend) => {
  useBackend(backend);

  it('computes a hand-checked value: depthwise per channel, then the 1×1 mix, then bias', () => {
    // Channels 1..4 and 10·(1..4) under kernels of ones and of twos: depthwise [10, 200];
    // pointwise [[1, 2], [0.5, -0.05]]: [10 + 100, 20 - 10]; bias [1, -1].
    const x = tl.tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const dk = tl.tensor([1, 2, 1, 2, 1, 2, 1, 2], [2, 2, 2, 1]);
    const pk = tl.tensor([1, 2, 0.5, -0.05], [1, 1, 2, 2]);
    expectSameTensor(separableConv2d(x, dk, pk, tl.tensor([1, -1])), tl.tensor([111, 9], [1, 1, 1, 2]), { rtol: 1e-6 });
  });

  it.each(CASES.map((c) => [label(c), c] as const))('equals the direct definition: %s', (_l, c) => {
    const x = seeded(c.x, 1);
    const [dk, pk, b] = weightsFor(c, 2);
    expectSameTensor(separableConv2d(x, dk, pk, b, opts(c)), direct(x, dk, pk, b, c), { rtol: 1e-5, atol: 1e-5 });
    expectSameTensor(separableConv2d(x, dk, pk, null, opts(c)), direct(x, dk, pk, null, c), { rtol: 1e-5, atol: 1e-5 });
  });

  it('fuses a kernel activation into the pointwise step: relu of the linear result', () => {
    const c = CASES[1];
    const x = seeded(c.x, 3);
    const [dk, pk, b] = weightsFor(c, 4);
    const linear = direct(x, dk, pk, b, c);
    expectSameTensor(
      separableConv2d(x, dk, pk, b, { ...opts(c), activation: 'relu' }),
      tl.tensor(
        linear.data.map((v) => Math.max(v, 0)),
        linear.shape,
      ),
      { rtol: 1e-5, atol: 1e-5 },
    );
  });

  it.each(CASES.map((c) => [label(c), c] as const))(
    'has the gradient of central differences for x, depthwise, pointwise and bias: %s',
    (_l, c) => {
      const x = seeded(c.x, 4);
      const [dk, pk, b] = weightsFor(c, 5);
      gradcheck((xi, dki, pki, bi) => separableConv2d(xi, dki, pki, bi, opts(c)), [x, dk, pk, b]);
    },
  );

  it('has the gradient of central differences without bias, through a fused activation (tanh)', () => {
    const c = CASES[6];
    const x = seeded(c.x, 6);
    const [dk, pk] = weightsFor(c, 7);
    gradcheck((xi, dki, pki) => separableConv2d(xi, dki, pki, null, { ...opts(c), activation: 'tanh' }), [x, dk, pk]);
  });

  it('gives Keras output shapes for padding, strides and dilation (channels = filters)', () => {
    const shape = (x: number[], k: Pair, mult: number, filters: number, o: SeparableConv2dOptions) =>
      separableConv2d(seeded(x, 1), seeded([...k, x[3], mult], 2), seeded([1, 1, x[3] * mult, filters], 3), null, o)
        .shape;
    expect(shape([1, 28, 28, 3], [3, 3], 1, 8, {})).toEqual([1, 26, 26, 8]);
    expect(shape([1, 28, 28, 3], [3, 3], 2, 5, { padding: 'same' })).toEqual([1, 28, 28, 5]);
    expect(shape([1, 7, 7, 2], [3, 3], 4, 3, { padding: 'same', strides: 2 })).toEqual([1, 4, 4, 3]);
    expect(shape([1, 7, 7, 1], [3, 3], 2, 1, { strides: 2 })).toEqual([1, 3, 3, 1]);
    expect(shape([1, 8, 7, 1], [2, 3], 1, 2, { strides: [3, 2] })).toEqual([1, 3, 3, 2]);
    expect(shape([1, 9, 9, 2], [3, 3], 1, 4, { dilationRate: 3 })).toEqual([1, 3, 3, 4]);
    expect(shape([1, 9, 9, 2], [3, 3], 1, 4, { dilationRate: 3, padding: 'same' })).toEqual([1, 9, 9, 4]);
    expect(shape([0, 5, 5, 2], [3, 3], 3, 2, {})).toEqual([0, 3, 3, 2]);
  });

  it('rejects bad input naming the op and the shapes', () => {
    const x = seeded([1, 5, 5, 2], 1),
      dk = seeded([3, 3, 2, 2], 2),
      pk = seeded([1, 1, 4, 3], 3);
    expectTensileError(
      () => separableConv2d(seeded([1, 2, 2, 2], 1), dk, pk, null),
      'separableConv2d',
      'kernel [3, 3]',
      'input [1, 2, 2, 2]',
      "'valid'",
    );
    expectTensileError(
      () => separableConv2d(seeded([1, 5, 5, 3], 1), dk, pk, null),
      'separableConv2d',
      '3 channels',
      '[3, 3, 2, 2]',
      '[1, 5, 5, 3]',
    );
    expectTensileError(
      () => separableConv2d(seeded([5, 5, 2], 1), dk, pk, null),
      'separableConv2d',
      'rank 4',
      '[5, 5, 2]',
    );
    expectTensileError(
      () => separableConv2d(x, seeded([3, 3, 2], 2), pk, null),
      'separableConv2d',
      'depthwise kernel of rank 4',
      '[3, 3, 2]',
    );
    expectTensileError(
      () => separableConv2d(x, dk, seeded([1, 1, 2, 3], 3), null),
      'separableConv2d',
      'pointwise kernel of shape [1, 1, 4, filters]',
      'channels 2 · depthMultiplier 2',
      'got [1, 1, 2, 3]',
    );
    expectTensileError(
      () => separableConv2d(x, dk, seeded([3, 3, 4, 3], 3), null),
      'separableConv2d',
      'pointwise kernel',
      'got [3, 3, 4, 3]',
    );
    expectTensileError(
      () => separableConv2d(x, dk, seeded([4, 3], 3), null),
      'separableConv2d',
      'pointwise kernel',
      'got [4, 3]',
    );
    expectTensileError(
      () => separableConv2d(x, dk, pk, seeded([4], 4)),
      'separableConv2d',
      'bias of shape [3]',
      'got [4]',
    );
    expectTensileError(
      () => separableConv2d(x, dk, pk, null, { strides: 2, dilationRate: 2 }),
      'separableConv2d',
      'cannot both',
    );
    expectTensileError(
      () => separableConv2d(seeded([1, 2, 2, 2], 1), dk, pk, null, { name: 'sep_3' }),
      'sep_3',
      'kernel [3, 3]',
    );
  });
});

describe.skipIf(!nativeLoaded)('separableConv2d native vs reference', () => {
  const MORE: Case[] = [
    ...CASES,
    { x: [1, 1, 1, 1], k: [1, 1], mult: 1, filters: 1 },
    { x: [4, 12, 12, 8], k: [3, 3], mult: 2, filters: 16, padding: 'same' },
  ];
  it.each(MORE.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const x = seeded(c.x, 11);
    const [dk, pk, b] = weightsFor(c, 12);
    expectBackendsAgree(
      (xi, dki, pki, bi) => separableConv2d(xi, dki, pki, bi, { ...opts(c), activation: 'relu' }),
      [x, dk, pk, b],
      { rtol: 1e-4, atol: 1e-5 },
    );
    expectGradsAgree((xi, dki, pki, bi) => separableConv2d(xi, dki, pki, bi, opts(c)), [x, dk, pk, b], {
      rtol: 1e-4,
      atol: 1e-4,
    });
  });
});

/** Output shape by computeOutputShape and by running the layer agree; returns it. */
function shapeOf(layer: tl.layers.Layer, sample: number[]): (number | null)[] {
  const y = layer.apply(seeded([2, ...sample], 1));
  const declared = layer.computeOutputShape([null, ...sample]);
  expect([...y.shape]).toEqual([2, ...declared.slice(1)]);
  return [...declared];
}

describe.each(availableBackends())('SeparableConv2D layer on %s', (backend) => {
  useBackend(backend);

  it('Keras name, output shapes and weights depthwise_kernel [kh, kw, in, mult], pointwise_kernel [1, 1, in·mult, filters], bias [filters]', () => {
    const c = tl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2 });
    expect(c.name).toMatch(/^separable_conv2d(_\d+)?$/);
    expect(c.className).toBe('SeparableConv2D');
    expect(shapeOf(c, [9, 8, 3])).toEqual([null, 7, 6, 4]);
    expect(c.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 2], [1, 1, 6, 4], [4]]);
    expect(c.weights.map((w) => w.name)).toEqual([
      expect.stringMatching(/\/depthwise_kernel$/),
      expect.stringMatching(/\/pointwise_kernel$/),
      expect.stringMatching(/\/bias$/),
    ]);
    expect(
      shapeOf(
        tl.layers.separableConv2d({ filters: 2, kernelSize: [2, 3], strides: 2, padding: 'same', depthMultiplier: 3 }),
        [7, 7, 2],
      ),
    ).toEqual([null, 4, 4, 2]);
    expect(shapeOf(tl.layers.separableConv2d({ filters: 5, kernelSize: 3, dilationRate: 2 }), [7, 8, 1])).toEqual([
      null,
      3,
      4,
      5,
    ]);
    expect(
      shapeOf(
        tl.layers.separableConv2d({ filters: 5, kernelSize: 3, dilationRate: [1, 2], padding: 'same' }),
        [7, 8, 1],
      ),
    ).toEqual([null, 7, 8, 5]);
    expect(shapeOf(tl.layers.separableConv2d({ filters: 1, kernelSize: 1, strides: 3 }), [7, 8, 3])).toEqual([
      null,
      3,
      3,
      1,
    ]);
    expect(tl.layers.separableConv2d({ filters: 2, kernelSize: 3 }).computeOutputShape([null, null, 5, 1])).toEqual([
      null,
      null,
      3,
      2,
    ]);
  });

  it('equals the op then a non-fused activation (elu), and the fused one (relu); gradients check through the layer', () => {
    const x = seeded([2, 5, 4, 2], 2);
    const c = tl.layers.separableConv2d({
      filters: 3,
      kernelSize: 2,
      depthMultiplier: 2,
      activation: 'elu',
      biasInitializer: 'ones',
    });
    const y = c.apply(x);
    const [dk, pk, b] = c.getWeights();
    expect(Array.from(b.data)).toEqual([1, 1, 1]);
    expectSameTensor(y, tl.layers.activation({ activation: 'elu' }).apply(tl.separableConv2d(x, dk, pk, b)), {
      rtol: 1e-6,
      atol: 1e-6,
    });
    const r = tl.layers.separableConv2d({
      filters: 3,
      kernelSize: 2,
      padding: 'same',
      activation: 'relu',
      biasInitializer: 'ones',
    });
    const yr = r.apply(x);
    const [dkr, pkr, br] = r.getWeights();
    expectSameTensor(yr, tl.relu(tl.separableConv2d(x, dkr, pkr, br, { padding: 'same' })), { rtol: 1e-6, atol: 1e-6 });
    const plain = tl.layers.separableConv2d({ filters: 2, kernelSize: 2, useBias: false, activation: 'tanh' });
    plain.apply(x);
    expect(plain.weights.map((w) => w.shape)).toEqual([
      [2, 2, 2, 1],
      [1, 1, 2, 2],
    ]);
    gradcheck((xi) => plain.apply(xi), [seeded([1, 3, 3, 2], 3)]);
  });

  it('bad input and bad options name the layer, the shapes and the parameter', () => {
    const c = tl.layers.separableConv2d({ filters: 2, kernelSize: 3, name: 'sep_a' });
    expectTensileError(() => c.apply(seeded([2, 5, 5], 1)), 'sep_a', 'rank 4', '[null, 5, 5]');
    const d = tl.layers.separableConv2d({ filters: 2, kernelSize: 3, name: 'sep_b' });
    d.apply(seeded([1, 5, 5, 1], 1));
    expectTensileError(() => d.apply(seeded([1, 5, 5, 3], 1)), 'sep_b', '3 channels', '[3, 3, 1, 1]', '[1, 5, 5, 3]');
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: 5, name: 'sep_c' }).apply(seeded([1, 3, 8, 1], 1)),
      'sep_c',
      'kernel [5, 5]',
      'larger than the input',
      "'valid'",
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 0, kernelSize: 3 }),
      'layers.separableConv2d',
      'filters',
      'got 0',
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: 3, depthMultiplier: 1.5 }),
      'layers.separableConv2d',
      'depthMultiplier',
      '1.5',
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: [3, 3, 3] }),
      'layers.separableConv2d',
      'kernelSize',
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
      'layers.separableConv2d',
      'cannot both',
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: 3, activation: 'rellu' as never }),
      'layers.separableConv2d',
      'rellu',
    );
    expectTensileError(
      () => tl.layers.separableConv2d({ filters: 2, kernelSize: 3, pointwiseInitializer: 'nope' as never }),
      'layers.separableConv2d',
      'nope',
    );
  });

  it('trains: a tiny fit lowers the loss', async () => {
    tl.setSeed(4);
    const m = tl.sequential({
      layers: [
        tl.layers.separableConv2d({
          filters: 4,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
          activation: 'relu',
          inputShape: [6, 6, 2],
        }),
        tl.layers.globalAveragePooling2d(),
        tl.layers.dense({ units: 1 }),
      ],
    });
    m.compile({ optimizer: tl.optimizers.adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
    const x = inputs([16, 6, 6, 2], 5);
    const y = tl.tensor(
      Array.from({ length: 16 }, (_, i) => x.data.slice(i * 72, (i + 1) * 72).reduce((a, v) => a + v, 0) / 10),
      [16, 1],
    );
    const h = await m.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
    const loss = h.history.loss.map(Number);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
  });

  it('saves and loads (Keras config keys) with the same predictions', async () => {
    tl.setSeed(9);
    const model = tl.sequential({
      layers: [
        tl.layers.separableConv2d({
          filters: 4,
          kernelSize: [3, 2],
          strides: [1, 2],
          padding: 'same',
          depthMultiplier: 2,
          activation: 'relu',
          biasInitializer: 'glorotUniform',
          inputShape: [6, 6, 3],
        }),
        tl.layers.separableConv2d({
          filters: 3,
          kernelSize: 2,
          dilationRate: 2,
          useBias: false,
          depthwiseInitializer: 'heNormal',
          pointwiseInitializer: 'lecunNormal',
        }),
        tl.layers.globalAveragePooling2d(),
      ],
    });
    const x = inputs([2, 6, 6, 3], 10);
    const before = model.predict(x);
    const dir = tmp();
    await model.save(`file://${dir}`);
    const topology = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const layers = topology.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
    expect(layers.map((l) => l.class_name)).toEqual(['SeparableConv2D', 'SeparableConv2D', 'GlobalAveragePooling2D']);
    expect(layers[0].config).toMatchObject({
      filters: 4,
      kernel_size: [3, 2],
      strides: [1, 2],
      padding: 'same',
      depth_multiplier: 2,
      dilation_rate: [1, 1],
      activation: 'relu',
      use_bias: true,
      data_format: 'channels_last',
    });
    for (const key of ['depthwise_initializer', 'pointwise_initializer', 'bias_initializer'])
      expect(layers[0].config).toHaveProperty(key);
    const text = JSON.stringify(topology);
    for (const w of ['depthwise_kernel', 'pointwise_kernel']) expect(text).toContain(w);
    const loaded = await tl.loadModel(`file://${join(dir, 'model.json')}`);
    expect(loaded.layers.map((l) => l.className)).toEqual([
      'SeparableConv2D',
      'SeparableConv2D',
      'GlobalAveragePooling2D',
    ]);
    expect(loaded.layers[0].getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [3, 2],
      strides: [1, 2],
      padding: 'same',
      depthMultiplier: 2,
      activation: 'relu',
    });
    expect(loaded.layers[1].getConfig()).toMatchObject({
      filters: 3,
      dilationRate: [2, 2],
      useBias: false,
      depthwiseInitializer: 'heNormal',
      pointwiseInitializer: 'lecunNormal',
      depthMultiplier: 1,
    });
    expect(sameBits((loaded.predict(x) as tl.Tensor).data, before.data)).toBe(true);
  });
});

// ---- interop with @tensorflow/tfjs 4 (its SeparableConv2D, on its cpu backend) ---------------------

const tfjs = useTfjs();
let tf: typeof TF;
beforeAll(() => {
  tf = tfjs();
});

describe('SeparableConv2D interop with tfjs: same weights, same outputs', () => {
  const tfModel = (layers: TF.layers.Layer[]): TF.Sequential => {
    const m = tf.sequential();
    for (const l of layers) m.add(l);
    return m;
  };

  // tfjs 4's SeparableConv2D leaves depth_multiplier out of the config it saves (its getConfig omits it), so its files
  // describe multiplier 1 whatever the weights say; tensile refuses such a file by the weight shape (below).
  it('tfjs saves, tensile loads (same, strides, relu; valid, dilation, no bias; then Dense)', async () => {
    const m = tfModel([
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: [3, 2],
        strides: [2, 1],
        padding: 'same',
        activation: 'relu',
        inputShape: [7, 6, 3],
      }),
      tf.layers.separableConv2d({ filters: 3, kernelSize: 2, dilationRate: 2, useBias: false }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ]);
    m.setWeights(
      randomValues(
        m.weights.map((w) => w.shape as number[]),
        4,
      ).map((v, i) => tf.tensor(v, m.weights[i].shape as number[])),
    );
    const dir = await saveWithTfjs(tf, m, tmp());
    const loaded = await tl.loadModel(`file://${dir}/model.json`);
    expect(loaded.layers.map((l) => l.className)).toEqual(['SeparableConv2D', 'SeparableConv2D', 'Flatten', 'Dense']);
    expect(loaded.layers[0].getConfig()).toMatchObject({
      filters: 4,
      kernelSize: [3, 2],
      depthMultiplier: 1,
      strides: [2, 1],
      padding: 'same',
      activation: 'relu',
    });
    expect(loaded.layers[1].getConfig()).toMatchObject({ filters: 3, dilationRate: [2, 2], useBias: false });
    const x = inputs([4, 7, 6, 3], 101);
    const ours = loaded.predict(x) as tl.Tensor;
    expect(ours.shape.slice(1)).toEqual((m.outputs[0].shape as number[]).slice(1));
    const theirs = tfPredict(tf, m, x);
    expect(Math.max(...theirs.map(Math.abs)), 'a non-trivial output').toBeGreaterThan(1e-2);
    expectClose(ours.data, theirs);
  });

  it('a tfjs file whose depth multiplier is lost (tfjs 4 does not write it) is refused, naming the weight and both shapes', async () => {
    const m = tfModel([
      tf.layers.separableConv2d({
        filters: 2,
        kernelSize: 3,
        depthMultiplier: 2,
        inputShape: [5, 5, 3],
        name: 'sep_tf',
      }),
    ]);
    const dir = await saveWithTfjs(tf, m, tmp());
    await expect(tl.loadModel(`file://${dir}/model.json`)).rejects.toThrow(
      /sep_tf\/depthwise_kernel has shape \[3, 3, 3, 2\] in the file, but the layer needs \[3, 3, 3, 1\]/,
    );
  });

  it('tensile saves, tfjs loads (multiplier 3, same with strides, tanh; valid, dilation, no bias)', async () => {
    tl.setSeed(25);
    const m = tl.sequential({
      layers: [
        tl.layers.separableConv2d({
          filters: 5,
          kernelSize: 3,
          depthMultiplier: 3,
          strides: 2,
          padding: 'same',
          activation: 'tanh',
          inputShape: [7, 8, 2],
        }),
        tl.layers.separableConv2d({ filters: 2, kernelSize: [2, 3], dilationRate: [2, 1], useBias: false }),
        tl.layers.globalAveragePooling2d(),
      ],
    });
    m.setWeights(
      randomValues(
        m.layers.flatMap((l) => l.weights.map((w) => [...w.shape])),
        26,
      ).map((v, i) => tl.tensor(v, [...m.layers.flatMap((l) => l.weights)[i].shape])),
    );
    const dir = tmp();
    await m.save(`file://${dir}`);
    const theirs = await loadWithTfjs(tf, dir);
    expect(theirs.layers.map((l) => l.getClassName())).toEqual([
      'SeparableConv2D',
      'SeparableConv2D',
      'GlobalAveragePooling2D',
    ]);
    // (tfjs reads depth_multiplier from the file, though its getConfig does not report it: the weight shapes show it.)
    expect(theirs.layers[0].getConfig()).toMatchObject({
      filters: 5,
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
      activation: 'tanh',
    });
    expect(theirs.layers[0].weights.map((w) => w.shape)).toEqual([[3, 3, 2, 3], [1, 1, 6, 5], [5]]);
    const x = inputs([4, 7, 8, 2], 201);
    const ours = m.predict(x).data;
    expect(Math.max(...ours.map(Math.abs)), 'a non-trivial output').toBeGreaterThan(1e-2);
    expectClose(tfPredict(tf, theirs, x), ours);
  });
});
