import { describe, expect, it } from 'vitest';
import { GradientBuckets } from '../../lib/distributed/buckets.js';
import type { Collectable } from '../../lib/distributed/world.js';

/** Two ranks in one process: rank 1's buckets are added into rank 0's (an all-reduce of sums). */
async function twoRanks(
  sizes: number[],
  bucketElements: number,
  g0: (Float32Array | null)[],
  g1: (Float32Array | null)[],
  s0: number,
  s1: number,
) {
  const b0 = new GradientBuckets(sizes, bucketElements);
  const b1 = new GradientBuckets(sizes, bucketElements);
  const sent1: Collectable[] = [];
  let sent0: Collectable[] = [];
  // Rank 1 packs first and keeps its buckets; rank 0's reduce adds them in, bucket by bucket, in order.
  void b1.sum(g1, s1, async (b) => void sent1.push(b));
  const out = await b0.sum(g0, s0, async (b) => {
    const other = sent1[sent0.length] as Float32Array;
    expect(other.length).toBe(b.length);
    for (let i = 0; i < b.length; i++) (b as Float32Array)[i] += other[i];
    sent0 = [...sent0, b];
  });
  return { out, buckets: sent0.map((b) => b.length) };
}

describe('GradientBuckets', () => {
  it('splits variables into buckets in order, flags first, and sums scaled gradients', async () => {
    const sizes = [3, 2, 4];
    const g0 = [new Float32Array([1, 2, 3]), new Float32Array([4, 5]), new Float32Array([6, 7, 8, 9])];
    const g1 = [new Float32Array([10, 20, 30]), new Float32Array([40, 50]), new Float32Array([60, 70, 80, 90])];
    const { out, buckets } = await twoRanks(sizes, 6, g0, g1, 0.5, 0.5);
    // 3 flags + 3 floats fill the first bucket; 2 + 4 the second.
    expect(buckets).toEqual([6, 6]);
    expect(out.map((g) => [...g!])).toEqual([
      [5.5, 11, 16.5],
      [22, 27.5],
      [33, 38.5, 44, 49.5],
    ]);
  });

  it('weights unequal slices and keeps null only where no rank had a gradient', async () => {
    const sizes = [2, 1];
    const { out } = await twoRanks(sizes, 1 << 20, [new Float32Array([3, 6]), null], [null, null], 1, 0);
    expect([...out[0]!]).toEqual([3, 6]);
    expect(out[1]).toBeNull();
    const one = await twoRanks(sizes, 1 << 20, [null, null], [new Float32Array([1, 1]), new Float32Array([2])], 0, 1);
    expect(one.out.map((g) => [...g!])).toEqual([[1, 1], [2]]);
  });

  it('puts a variable larger than a bucket in a bucket of its own', () => {
    expect(new GradientBuckets([10, 100, 10], 20).bucketCount).toBe(3);
    expect(new GradientBuckets([], 20).bucketCount).toBe(1);
  });
});
