import { describe, expect, it } from 'vitest';
import { Tensor, arange, full, ones, rand, randn, setSeed, tensor, zeros } from '../../lib/index.js';
import { bernoulliFill, generatorState, uniform } from '../../lib/tensor/random.js';
import { nativeBackend } from '../../lib/backend/native/index.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { availableBackends, expectTensileError, expectTensor, useBackend } from '../helpers/ops.js';

/** [n, p] of the bernoulli draws: empty, one value, many, p at 0 and 1. */
const BERNOULLI_CASES = [
  [0, 0.5],
  [1, 0.8],
  [1000, 0.8],
  [257, 0.1],
  [64, 1],
  [64, 0],
] as const;

describe('tensor()', () => {
  it('takes nested arrays of any depth', () => {
    const t = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(t).toBeInstanceOf(Tensor);
    expect(t.shape).toEqual([3, 1, 2]);
    expect(t.rank).toBe(3);
    expect(t.size).toBe(6);
    expect([...t.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('takes a number as a scalar', () => {
    expectTensor(tensor(2.5), 2.5);
    expect(tensor(2.5).shape).toEqual([]);
    expectTensor(tensor(7, [1, 1]), [[7]]);
  });
  it('takes a flat typed array with a shape, or alone as a vector', () => {
    expectTensor(tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectTensor(tensor(Int32Array.of(4, 5)), [4, 5]);
    expectTensor(tensor(Float64Array.of(0.1)), [Math.fround(0.1)], { rtol: 0, atol: 0 });
  });
  it('reshapes nested arrays to a given shape of the same size', () =>
    expectTensor(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        [4],
      ),
      [1, 2, 3, 4],
    ));
  it('makes empty tensors', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor(new Float32Array(0), [3, 0, 2]).shape).toEqual([3, 0, 2]);
  });
  it('keeps NaN and ±Infinity', () => expectTensor(tensor([NaN, Infinity, -Infinity]), [NaN, Infinity, -Infinity]));
  it('rounds to float32', () => expect(tensor([1 / 3]).data[0]).toBe(Math.fround(1 / 3)));
  it('copies what it is given', () => {
    const src = new Float32Array([1, 2, 3]);
    const nested = [
      [1, 2],
      [3, 4],
    ];
    const a = tensor(src);
    const b = tensor(nested);
    src[0] = 99;
    nested[0][0] = 99;
    expectTensor(a, [1, 2, 3]);
    expectTensor(b, [
      [1, 2],
      [3, 4],
    ]);
    expect(a.data).not.toBe(src);
  });
  it('records requiresGrad', () => {
    expect(tensor([1]).requiresGrad).toBe(false);
    expect(tensor([1], undefined, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe('zeros, ones, full', () => {
  it('fill a shape', () => {
    expectTensor(zeros([2, 3]), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expectTensor(ones([3]), [1, 1, 1]);
    expectTensor(full([2, 2], 7), [
      [7, 7],
      [7, 7],
    ]);
    expectTensor(full([1], NaN), [NaN]);
  });
  it('make scalars and empty tensors', () => {
    expectTensor(zeros([]), 0);
    expectTensor(ones([]), 1);
    expectTensor(ones([0, 3]), [], { shape: [0, 3] });
  });
});

describe('arange', () => {
  it('counts like NumPy', () => {
    expectTensor(arange(5), [0, 1, 2, 3, 4]);
    expectTensor(arange(2, 5), [2, 3, 4]);
    expectTensor(arange(1, 2, 0.25), [1, 1.25, 1.5, 1.75]);
    expectTensor(arange(5, 0, -2), [5, 3, 1]);
    expectTensor(arange(0, 1, 0.3), [0, 0.3, 0.6, 0.9]);
  });
  it('gives an empty tensor for an empty range', () => {
    expect(arange(0).shape).toEqual([0]);
    expect(arange(0, 5, -1).shape).toEqual([0]);
  });
});

describe('rand, randn and setSeed', () => {
  it('rand is uniform in [min, max)', () => {
    setSeed(1);
    const u = rand([10_000]);
    expect(u.data.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = u.data.reduce((a, b) => a + b, 0) / u.size;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const r = rand([1000], { min: -3, max: -2 });
    expect(r.data.every((v) => v >= -3 && v <= -2)).toBe(true);
  });
  it('randn has the requested mean and standard deviation', () => {
    setSeed(2);
    const n = randn([20_000], { mean: 5, std: 2 });
    const mean = n.data.reduce((a, b) => a + b, 0) / n.size;
    const sd = Math.sqrt(n.data.reduce((a, b) => a + (b - mean) ** 2, 0) / n.size);
    expect(Math.abs(mean - 5)).toBeLessThan(0.05);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
    expect(n.data.every(Number.isFinite)).toBe(true);
  });
  it('setSeed makes rand and randn reproducible', () => {
    setSeed(42);
    const a = rand([5]);
    const b = randn([2, 3]);
    setSeed(42);
    expect([...rand([5]).data]).toEqual([...a.data]);
    expect([...randn([2, 3]).data]).toEqual([...b.data]);
    setSeed(43);
    expect([...rand([5]).data]).not.toEqual([...a.data]);
  });
  it('bernoulliFill makes the draws and values of a loop of uniform(), and leaves the generator where that loop would', () => {
    for (const [n, p] of BERNOULLI_CASES) {
      setSeed(n + 11);
      const want = Float32Array.from({ length: n }, () => (uniform() < p ? 1 / p : 0));
      const nextWant = uniform();
      setSeed(n + 11);
      const got = new Float32Array(n);
      bernoulliFill(got, p, 1 / p);
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(uniform()).toBe(nextWant);
    }
  });

  it.skipIf(!nativeLoaded)('the native bernoulli kernel gives the reference mask and leaves the same state', () => {
    const native = nativeBackend(addon!);
    for (const [n, p] of BERNOULLI_CASES) {
      setSeed(n + 5);
      const start = generatorState().slice();
      const [sRef, sNat] = [start.slice(), start.slice()];
      const [mRef, mNat] = [new Float32Array(n).fill(NaN), new Float32Array(n).fill(NaN)];
      referenceBackend.bernoulli(sRef, mRef, p, 1 / p);
      native.bernoulli(sNat, mNat, p, 1 / p);
      expect(Array.from(mNat)).toEqual(Array.from(mRef));
      expect(Array.from(sNat)).toEqual(Array.from(sRef));
      if (n > 0) expect(Array.from(sRef)).not.toEqual(Array.from(start));
    }
  });

  it('setSeed also discards the spare normal of Box–Muller', () => {
    setSeed(7);
    const x = randn([3]);
    setSeed(7);
    randn([1]); // leaves a spare
    setSeed(7);
    expect([...randn([3]).data]).toEqual([...x.data]);
  });
  it('shapes and options are honoured', () => {
    expect(rand([2, 0]).shape).toEqual([2, 0]);
    expect(randn([], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe.each(availableBackends())('creation refuses bad input on %s', (backend) => {
  useBackend(backend);
  it('a data array of the wrong length for the shape names the counts and the shape', () => {
    expectTensileError(() => tensor(new Float32Array(5), [2, 3]), 'tensor', '5 values', '[2, 3]', '6 elements');
    expectTensileError(() => tensor([1, 2, 3], [2, 2]), 'tensor', '3 values', '[2, 2]');
    expectTensileError(() => tensor(1, [2]), 'tensor', '[2]');
  });
  it('ragged nested arrays', () => {
    expectTensileError(() => tensor([[1, 2], [3]]), 'tensor', 'ragged', 'length 2');
    expectTensileError(() => tensor([[1, 2], 3] as never), 'tensor', 'ragged');
    expectTensileError(() => tensor([1, [2]] as never), 'tensor', 'ragged');
    expectTensileError(() => tensor([[[1]], [[2, 3]]]), 'tensor', 'ragged');
  });
  it('values that are not numbers', () => {
    expectTensileError(() => tensor(['a'] as never), 'tensor', 'string');
    expectTensileError(() => tensor([1, 'a'] as never), 'tensor', 'string');
    expectTensileError(() => tensor(null as never), 'tensor', 'null');
    expectTensileError(() => tensor('12' as never), 'tensor', 'string');
    expectTensileError(() => full([2], '1' as never), 'full', 'string');
  });
  const badShapes: unknown[][] = [[NaN], [Infinity], [2, -Infinity], [2.5], [-1], [2, -3], ['2'], [null]];
  it.each(['zeros', 'ones', 'rand', 'randn'] as const)(
    'non-finite, fractional, negative shape entries in %s',
    (name) => {
      const make = { zeros, ones, rand, randn }[name];
      for (const s of badShapes) expectTensileError(() => make(s as number[]), name, 'non-negative integers');
      expectTensileError(() => make(3 as never), name, 'array');
    },
  );
  it('non-finite, fractional, negative shapes in tensor() and full()', () => {
    expectTensileError(() => tensor([1, 2], [NaN]), 'tensor', 'non-negative integers', 'NaN');
    expectTensileError(() => tensor([1, 2], [-2]), 'tensor', '-2');
    expectTensileError(() => full([1.5], 0), 'full', '1.5');
  });
  it('a shape too large for a Float32Array', () =>
    expectTensileError(() => zeros([2 ** 20, 2 ** 20]), 'zeros', '[1048576, 1048576]'));
  it('arange with a zero, non-finite or huge range', () => {
    expectTensileError(() => arange(0, 5, 0), 'arange', 'step');
    expectTensileError(() => arange(NaN), 'arange', 'NaN');
    expectTensileError(() => arange(0, Infinity), 'arange', 'Infinity');
    expectTensileError(() => arange(0, 1e10), 'arange', '10000000000');
  });
  it('setSeed with a non-finite seed', () => expectTensileError(() => setSeed(NaN), 'setSeed', 'NaN'));
});
