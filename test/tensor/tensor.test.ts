import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TensileError, arange, reshape, tensor, zeros } from '../../lib/index.js';
import { expectTensileError, expectTensor } from '../helpers/ops.js';

describe('reading values', () => {
  it('dataSync returns a copy', () => {
    const t = tensor([1, 2, 3]);
    const d = t.dataSync();
    expect(d).toBeInstanceOf(Float32Array);
    expect([...d]).toEqual([1, 2, 3]);
    d[0] = 99;
    expectTensor(t, [1, 2, 3]);
    expect(t.dataSync()).not.toBe(t.dataSync());
  });
  it('arraySync nests like the shape; a scalar is a number', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).arraySync(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(reshape(arange(8), [2, 2, 2]).arraySync()).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
    expect(tensor(3).arraySync()).toBe(3);
    expect(zeros([2, 0]).arraySync()).toEqual([[], []]);
    expect(zeros([0, 2]).arraySync()).toEqual([]);
  });
  it('arraySync round-trips through tensor()', () => {
    const t = reshape(arange(24), [2, 3, 4]);
    expect([...tensor(t.arraySync()).data]).toEqual([...t.data]);
    const a = t.arraySync() as number[][][];
    a[0][0][0] = 99; // a fresh array: the tensor does not change
    expect(t.data[0]).toBe(0);
  });
  it('item reads a one-element tensor of any rank', () => {
    expect(tensor(4).item()).toBe(4);
    expect(tensor([[5]]).item()).toBe(5);
    expect(Number.isNaN(tensor([NaN]).item())).toBe(true);
  });
  it('item refuses other sizes with a TensileError naming the shape', () => {
    expectTensileError(() => tensor([1, 2]).item(), 'item', '[2]', '2 elements');
    expectTensileError(() => zeros([0]).item(), 'item', '[0]');
    expect(() => zeros([2, 2]).item()).toThrow(TensileError);
  });
});

describe('toString', () => {
  it('prints like NumPy: aligned columns, nested brackets, the shape', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).toString(),
    ).toBe('[[1., 2.],\n [3., 4.]], shape=[2, 2]');
    expect(
      tensor([
        [1.5, -2],
        [3, 4.25],
      ]).toString(),
    ).toBe('[[ 1.5,  -2.],\n [  3., 4.25]], shape=[2, 2]');
    expect(tensor([0.1, 0.123456]).toString()).toBe('[   0.1, 0.1235], shape=[2]');
  });
  it('separates the blocks of a 3-D tensor by a blank line', () =>
    expect(reshape(arange(8), [2, 2, 2]).toString()).toBe(
      '[[[0., 1.],\n  [2., 3.]],\n\n [[4., 5.],\n  [6., 7.]]], shape=[2, 2, 2]',
    ));
  it('prints scalars, empty tensors, NaN and infinities', () => {
    expect(tensor(-3).toString()).toBe('-3., shape=[]');
    expect(zeros([2, 0]).toString()).toBe('[[],\n []], shape=[2, 0]');
    expect(tensor([NaN, Infinity, -Infinity, 1]).toString()).toBe('[ nan,  inf, -inf,   1.], shape=[4]');
  });
  it('switches to exponents for very large or very small magnitudes', () => {
    expect(tensor([1e-5, 0]).toString()).toBe('[1e-5, 0e+0], shape=[2]');
    expect(tensor([1e9, 1]).toString()).toBe('[1e+9, 1e+0], shape=[2]');
  });
  it('summarises past 1000 elements, keeping 3 at each end', () => {
    expect(arange(2000).toString()).toBe('[   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000]');
    expect(arange(1000).toString()).not.toContain('...');
    const s = reshape(arange(10_000), [100, 100]).toString();
    expect(s.split('\n')).toHaveLength(7); // 3 rows, '...', 3 rows
    expect(s).toContain('\n ...,\n');
    expect(s.startsWith('[[   0.,    1.,    2., ...,   97.,   98.,   99.],')).toBe(true);
    expect(s.endsWith('[9900., 9901., 9902., ..., 9997., 9998., 9999.]], shape=[100, 100]')).toBe(true);
  });
  it('stays short for a million elements', () => {
    expect(zeros([1000, 1000]).toString().length).toBeLessThan(400);
  });
  it('is what console.log shows', () => expect(inspect(tensor([1, 2]))).toBe('Tensor [1., 2.], shape=[2]'));
});
