import { describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { expectTensileError } from '../helpers/ops.js';
import { expectRejects } from '../models/fixtures.js';

const arr = (ds: tl.data.Dataset<unknown>) => ds.toArray();
const values = async (ds: tl.data.Dataset<tl.Tensor>) => (await ds.toArray()).map((t) => t.arraySync());

describe('tl.data datasets', () => {
  it('array, map (sync and async), filter, take, skip, in order', async () => {
    const ds = tl.data.array([1, 2, 3, 4, 5, 6]);
    expect(await arr(ds.map((v) => v * 10))).toEqual([10, 20, 30, 40, 50, 60]);
    expect(await arr(ds.map(async (v) => v + 1))).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await arr(ds.filter((v) => v % 2 === 0))).toEqual([2, 4, 6]);
    expect(await arr(ds.take(2))).toEqual([1, 2]);
    expect(await arr(ds.take(0))).toEqual([]);
    expect(await arr(ds.skip(4))).toEqual([5, 6]);
    expect(await arr(ds.skip(10))).toEqual([]);
    expect(ds.size).toBe(6);
    expect(ds.take(2).size).toBe(2);
    expect(ds.filter(() => true).size).toBe(null);
  });

  it('every pass starts again from the source; the user array is not copied or changed', async () => {
    const items = [1, 2, 3];
    const ds = tl.data.array(items).map((v) => v * 2);
    expect(await arr(ds)).toEqual([2, 4, 6]);
    expect(await arr(ds)).toEqual([2, 4, 6]);
    expect(items).toEqual([1, 2, 3]);
  });

  it('generator: sync and async generator functions, called once a pass', async () => {
    let calls = 0;
    const g = tl.data.generator(function* () {
      calls++;
      for (let i = 0; i < 3; i++) yield i;
    });
    expect(await arr(g)).toEqual([0, 1, 2]);
    expect(await arr(g)).toEqual([0, 1, 2]);
    expect(calls).toBe(2);
    const a = tl.data.generator(async function* () {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 1));
        yield { xs: [i], ys: [2 * i] };
      }
    });
    const [b] = await a.batch(3).toArray();
    expect(b.xs.arraySync()).toEqual([[0], [1], [2]]);
    expect(b.ys.arraySync()).toEqual([[0], [2], [4]]);
  });

  it('take stops the source early (a generator sees return)', async () => {
    let closed = false;
    const g = tl.data.generator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    expect(await arr(g.take(3))).toEqual([0, 1, 2]);
    expect(closed).toBe(true);
  });

  it('batch: numbers, arrays, Tensors and objects of them; the last batch smaller or dropped', async () => {
    expect(await values(tl.data.array([1, 2, 3, 4, 5]).batch(2))).toEqual([[1, 2], [3, 4], [5]]);
    expect(await values(tl.data.array([1, 2, 3, 4, 5]).batch(2, false))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tl.data.array([1, 2, 3, 4, 5]).batch(2).size).toBe(3);
    expect(tl.data.array([1, 2, 3, 4, 5]).batch(2, false).size).toBe(2);
    const m = await values(tl.data.array([[[1, 2]], [[3, 4]]]).batch(2));
    expect(m).toEqual([[[[1, 2]], [[3, 4]]]]);
    const t = await values(tl.data.array([tl.tensor([1, 2]), tl.tensor([3, 4])]).batch(2));
    expect(t).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const [o] = await tl.data
      .array([
        { xs: [1, 2], ys: 0, name: 'a' },
        { xs: [3, 4], ys: 1, name: 'b' },
      ])
      .batch(2)
      .toArray();
    expect(o.xs.shape).toEqual([2, 2]);
    expect(o.ys.arraySync()).toEqual([0, 1]);
    expect(o.name).toEqual(['a', 'b']);
    const [p] = await tl.data
      .array([
        [tl.tensor([1]), tl.tensor([2])],
        [tl.tensor([3]), tl.tensor([4])],
      ])
      .batch(2)
      .toArray();
    expect((p as tl.Tensor[]).map((x) => x.arraySync())).toEqual([
      [[1], [3]],
      [[2], [4]],
    ]);
  });

  it('batch rejects elements of different shapes or structures, naming them', async () => {
    await expectRejects(
      tl.data
        .array([
          [1, 2],
          [1, 2, 3],
        ])
        .batch(2)
        .toArray(),
      'data.Dataset.batch',
      'element 1',
      '[3]',
      '[2]',
    );
    await expectRejects(
      tl.data
        .array([{ xs: [1] }, { ys: [1] }])
        .batch(2)
        .toArray(),
      'data.Dataset.batch',
      "no 'xs'",
    );
    await expectRejects(
      tl.data
        .array([{ xs: [1, 2] }, { xs: [1, 'a'] }])
        .batch(2)
        .toArray(),
      'data.Dataset.batch',
      "'xs'",
      'string',
    );
    expectTensileError(() => tl.data.array([1]).batch(0), 'data.Dataset.batch', 'at least 1');
    expectTensileError(() => tl.data.array([1]).batch(1.5), 'data.Dataset.batch', 'batchSize', '1.5');
  });

  it('shuffle: a permutation; a seed repeats the first pass order, each pass reshuffles', async () => {
    const n = 100;
    const ds = tl.data.array(Array.from({ length: n }, (_, i) => i));
    const a = (await arr(ds.shuffle(n, 7))) as number[];
    const b = (await arr(ds.shuffle(n, 7))) as number[];
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: n }, (_, i) => i));
    const s = ds.shuffle(n, 7);
    const p1 = await arr(s);
    const p2 = await arr(s);
    expect(p1).toEqual(a);
    expect(p2).not.toEqual(p1);
    expect(await arr(ds.shuffle(n, 7, false))).toEqual(await arr(ds.shuffle(n, 7, false)));
    // A small buffer keeps elements near their place: the first output is one of the first bufferSize inputs.
    const local = (await arr(ds.shuffle(5, 3))) as number[];
    expect(local[0]).toBeLessThan(5);
    expect(new Set(local).size).toBe(n);
  });

  it('shuffle without a seed follows tl.setSeed', async () => {
    const ds = tl.data.array(Array.from({ length: 50 }, (_, i) => i));
    tl.setSeed(3);
    const a = await arr(ds.shuffle(50));
    tl.setSeed(3);
    expect(await arr(ds.shuffle(50))).toEqual(a);
  });

  it('repeat, concatenate, zip, forEachAsync', async () => {
    const ds = tl.data.array([1, 2]);
    expect(await arr(ds.repeat(3))).toEqual([1, 2, 1, 2, 1, 2]);
    expect(await arr(ds.repeat().take(5))).toEqual([1, 2, 1, 2, 1]);
    expect(await arr(tl.data.array([]).repeat())).toEqual([]);
    expect(ds.repeat().size).toBe(Infinity);
    expect(await arr(ds.concatenate(tl.data.array([3])))).toEqual([1, 2, 3]);
    expect(ds.concatenate(tl.data.array([3])).size).toBe(3);
    expect(await arr(tl.data.zip([ds, tl.data.array(['a', 'b', 'c'])]))).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(await arr(tl.data.zip({ x: ds, y: ds.map((v) => -v) }))).toEqual([
      { x: 1, y: -1 },
      { x: 2, y: -2 },
    ]);
    const seen: number[] = [];
    await ds.forEachAsync(async (v) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(v);
    });
    expect(seen).toEqual([1, 2]);
    await expectRejects(ds.repeat().toArray(), 'data.Dataset.toArray', 'endless');
  });

  it('prefetch reads ahead, keeps the order, and passes errors on', async () => {
    let produced = 0;
    const g = tl.data
      .generator(async function* () {
        for (let i = 0; i < 10; i++) {
          produced++;
          yield i;
        }
      })
      .prefetch(3);
    const it = g[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(produced).toBeGreaterThanOrEqual(3); // read ahead of the consumer
    await it.return?.();
    expect(await arr(g)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const bad = tl.data.array([1, 2, 3]).map((v) => {
      if (v === 2) throw new Error('bad element');
      return v;
    });
    await expect(bad.prefetch(2).toArray()).rejects.toThrow('bad element');
  });

  it('bad arguments name the method', () => {
    const ds = tl.data.array([1]);
    expectTensileError(() => tl.data.array(5 as unknown as number[]), 'data.array', 'array');
    expectTensileError(() => tl.data.generator(5 as unknown as () => Iterator<number>), 'data.generator', 'function');
    expectTensileError(() => ds.map(5 as unknown as (v: number) => number), 'data.Dataset.map', 'function');
    expectTensileError(() => ds.take(-1), 'data.Dataset.take', '-1');
    expectTensileError(() => ds.shuffle(0), 'data.Dataset.shuffle', 'at least 1');
    expectTensileError(() => ds.shuffle(4, Number.NaN), 'data.Dataset.shuffle', 'seed');
    expectTensileError(() => ds.prefetch(0), 'data.Dataset.prefetch');
    expectTensileError(() => tl.data.zip([ds, 5 as unknown as tl.data.Dataset<number>]), 'data.zip');
  });
});
