import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError, expectTensor } from '../helpers/ops.js';

// The shared data sets live in the repository's sibling folder `shared/data` (never copied into the project).
const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

function labelsIn(t: tl.Tensor): number[] {
  return [...new Set(t.data)].sort((a, b) => a - b);
}

describe.each([
  // The first labels of each split, as published.
  ['mnist', [5, 0, 4, 1, 9, 2, 1, 3, 1, 4], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]],
  ['fashion-mnist', [9, 0, 0, 3, 0, 2, 7, 2, 5, 5], [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]],
])('loadMnist(%s)', (name, firstTrain, firstTest) => {
  const d = tl.data.loadMnist(join(DATA, name), { limit: 200 });

  it('shapes [200, 28, 28] and [200] with limit', () => {
    expect(d.xTrain.shape).toEqual([200, 28, 28]);
    expect(d.yTrain.shape).toEqual([200]);
    expect(d.xTest.shape).toEqual([200, 28, 28]);
    expect(d.yTest.shape).toEqual([200]);
  });

  it('pixels in [0, 1], using the whole range', () => {
    expect(d.xTrain.min().item()).toBe(0);
    expect(d.xTrain.max().item()).toBe(1);
    expect(d.xTest.max().item()).toBe(1);
    // Multiples of 1/255.
    const k = d.xTrain.data.find((v) => v > 0 && v < 1)! * 255;
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-4);
  });

  it('labels are the integers 0..9, in the published order', () => {
    expect(labelsIn(d.yTrain)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(d.yTrain.data.slice(0, 10))).toEqual(firstTrain);
    expect(Array.from(d.yTest.data.slice(0, 10))).toEqual(firstTest);
  });

  it('normalize: false keeps the bytes 0..255', () => {
    const raw = tl.data.loadMnist(join(DATA, name), { limit: 3, normalize: false });
    expect(raw.xTrain.shape).toEqual([3, 28, 28]);
    expect(raw.xTrain.max().item()).toBe(255);
    expect(Array.from(raw.xTrain.data.slice(0, 784)).map((v) => v / 255)).toEqual(
      Array.from(d.xTrain.data.slice(0, 784)).map((v) => Math.round(v * 255) / 255),
    );
  });
});

describe('loadMnist errors', () => {
  it('a folder without the files names the missing file', () => {
    expectTensileError(() => tl.data.loadMnist(join(DATA, 'small')), 'data.readIdx', 'train-images-idx3-ubyte');
  });
  it('a file that is not IDX', () => {
    expectTensileError(() => tl.data.readIdx(join(DATA, 'small/iris.csv')), 'data.readIdx', 'is not an IDX file');
  });
});

describe('loadCsv', () => {
  const iris = tl.data.loadCsv(join(DATA, 'small/iris.csv'));
  const tmp = mkdtempSync(join(tmpdir(), 'tensile-csv-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  it('iris: 150 × 4 features, labels 0..2 (50 each), column names', () => {
    expect(iris.x.shape).toEqual([150, 4]);
    expect(iris.y.shape).toEqual([150]);
    expect(iris.columns).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(labelsIn(iris.y)).toEqual([0, 1, 2]);
    for (const c of [0, 1, 2]) expect(iris.y.data.filter((v) => v === c)).toHaveLength(50);
    expectTensor(tl.slice(iris.x, [0, 0], [1, 4]), [[5.1, 3.5, 1.4, 0.2]]);
  });

  it('a named label column anywhere; CRLF line ends and blank lines', () => {
    const p = write('mid.csv', 'a,label,b\r\n1,0,2\r\n\r\n3,1,4\r\n');
    const d = tl.data.loadCsv(p);
    expectTensor(d.x, [
      [1, 2],
      [3, 4],
    ]);
    expectTensor(d.y, [0, 1]);
    expect(d.columns).toEqual(['a', 'b']);
    expectTensor(tl.data.loadCsv(p, { labelColumn: 'a' }).y, [1, 3]);
  });

  it('errors name the file, line and column', () => {
    expectTensileError(
      () => tl.data.loadCsv(write('nan.csv', 'a,b\n1,2\n3,x\n')),
      'data.loadCsv',
      'line 3',
      "column 'b'",
      "'x' is not a number",
    );
    expectTensileError(
      () => tl.data.loadCsv(write('short.csv', 'a,b\n1\n')),
      'data.loadCsv',
      'line 2 has 1 fields, expected 2',
    );
    expectTensileError(
      () => tl.data.loadCsv(write('nolabel.csv', 'a,b\n1,2\n'), { labelColumn: 'y' }),
      'data.loadCsv',
      "no column 'y'",
      'a, b',
    );
    expectTensileError(() => tl.data.loadCsv(write('empty.csv', '\n')), 'data.loadCsv', 'is empty');
  });

  it('a classifier learns iris (toCategorical + fit)', async () => {
    tl.setSeed(1);
    const mean = iris.x.mean({ axis: 0 });
    const x = tl.div(tl.sub(iris.x, mean), tl.sqrt(tl.mean(tl.square(tl.sub(iris.x, mean)), { axis: 0 })));
    const m = tl.sequential({ layers: [tl.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
    m.compile({
      optimizer: tl.optimizers.adam({ learningRate: 0.1 }),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const h = await m.fit(x, tl.utils.toCategorical(iris.y, 3), { epochs: 30, batchSize: 30, verbose: 0 });
    expect(h.history.accuracy[29]).toBeGreaterThan(0.9);
  });
});

describe('trainTestSplit and shuffle', () => {
  const x = tl.tensor(Array.from({ length: 20 }, (_, i) => [i, 100 + i]));
  const y = tl.tensor(Array.from({ length: 20 }, (_, i) => i));

  it('sizes: testSize of the samples go to the test part (default 0.25)', () => {
    const s = tl.data.trainTestSplit(x, y, { testSize: 0.2 });
    expect(s.xTrain.shape).toEqual([16, 2]);
    expect(s.yTrain.shape).toEqual([16]);
    expect(s.xTest.shape).toEqual([4, 2]);
    expect(s.yTest.shape).toEqual([4]);
    expect(tl.data.trainTestSplit(x, y).xTest.shape).toEqual([5, 2]);
  });

  it('shuffle: false keeps the order: the test part is the last samples', () => {
    const s = tl.data.trainTestSplit(x, y, { testSize: 0.2, shuffle: false });
    expect(Array.from(s.yTest.data)).toEqual([16, 17, 18, 19]);
    expect(Array.from(s.yTrain.data)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('shuffled (seeded): rows of x and y stay paired, every sample lands exactly once, reproducibly', () => {
    tl.setSeed(3);
    const a = tl.data.trainTestSplit(x, y, { testSize: 0.25 });
    tl.setSeed(3);
    const b = tl.data.trainTestSplit(x, y, { testSize: 0.25 });
    expect(Array.from(a.yTest.data)).toEqual(Array.from(b.yTest.data));
    const all = [...a.yTrain.data, ...a.yTest.data];
    expect([...all].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(all).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const [xs, ys] of [
      [a.xTrain, a.yTrain],
      [a.xTest, a.yTest],
    ] as const)
      ys.data.forEach((label, i) => expect([xs.data[2 * i], xs.data[2 * i + 1]]).toEqual([label, 100 + label]));
  });

  it('rejects a bad testSize and mismatched sample counts', () => {
    expectTensileError(
      () => tl.data.trainTestSplit(x, y, { testSize: 1.5 }),
      'data.trainTestSplit',
      'testSize must be in (0, 1), got 1.5',
    );
    expectTensileError(() => tl.data.trainTestSplit(x, y, { testSize: 0 }), 'data.trainTestSplit', 'got 0');
    expectTensileError(() => tl.data.shuffle(x, tl.ones([3])), 'data.shuffle', 'different sample counts: 20, 3');
  });
});

describe('toCategorical', () => {
  it('one-hot rows from integer labels', () => {
    expectTensor(tl.utils.toCategorical([0, 2, 1], 3), [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expectTensor(tl.utils.toCategorical([0, 1], 4), [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
  });

  it('numClasses defaults to max + 1; Int32Array and tensors work', () => {
    expectTensor(tl.utils.toCategorical([1, 3]), [
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    expectTensor(tl.utils.toCategorical(Int32Array.of(1, 0)), [
      [0, 1],
      [1, 0],
    ]);
    expectTensor(tl.utils.toCategorical(tl.tensor([2, 0]), 3), [
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('labels [N, 1] give [N, numClasses] (Keras drops the trailing 1)', () => {
    expectTensor(tl.utils.toCategorical([[1], [0], [2]], 3), [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });

  it('rejects bad labels and a bad numClasses', () => {
    expectTensileError(() => tl.utils.toCategorical([0, 3], 3), 'toCategorical', 'label 3 at position 1', '[0, 3)');
    expectTensileError(() => tl.utils.toCategorical([-1, 0], 3), 'toCategorical', 'label -1');
    expectTensileError(() => tl.utils.toCategorical([0.5], 3), 'toCategorical', 'label 0.5');
    expectTensileError(
      () => tl.utils.toCategorical([0, 1], 0),
      'toCategorical',
      'numClasses must be a positive integer, got 0',
    );
    expectTensileError(() => tl.utils.toCategorical([0, 1], 2.5), 'toCategorical', 'got 2.5');
  });
});
