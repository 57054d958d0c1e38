import { stridesOf } from '../strides.js';

// Data movement. TypedArray.set is already a native memcpy, so these serve both backends.

export function transpose(x: Float32Array, out: Float32Array, shape: readonly number[], perm: readonly number[]): void {
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const readStride = perm.map((p) => xs[p]);
  const rank = outShape.length;
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x[off];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      off += readStride[d];
      if (idx[d] < outShape[d]) break;
      off -= readStride[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

export function gather(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void {
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r] * rowSize;
    out.set(x.subarray(src, src + rowSize), r * rowSize);
  }
}

export function scatterAdd(x: Float32Array, indices: Int32Array, out: Float32Array, rowSize: number): void {
  for (let r = 0; r < indices.length; r++) {
    const dst = indices[r] * rowSize;
    const src = r * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j] += x[src + j];
  }
}

/** Visit each contiguous row of the box [begin, begin+shape) inside a tensor of fullShape: (boxOffset, fullOffset, length). */
function forEachBoxRow(
  full: readonly number[],
  box: readonly number[],
  begin: readonly number[],
  visit: (boxOff: number, fullOff: number, len: number) => void,
): void {
  const rank = box.length;
  if (rank === 0) return visit(0, 0, 1);
  if (box.some((d) => d === 0)) return;
  const fs = stridesOf(full);
  const len = box[rank - 1];
  const rows = box.slice(0, -1).reduce((a, b) => a * b, 1);
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let off = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) off += (begin[d] + idx[d]) * fs[d];
    visit(r * len, off, len);
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < box[d]) break;
      idx[d] = 0;
    }
  }
}

export function slice(
  x: Float32Array,
  xShape: readonly number[],
  begin: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  forEachBoxRow(xShape, outShape, begin, (o, f, len) => out.set(x.subarray(f, f + len), o));
}

export function unslice(
  x: Float32Array,
  xShape: readonly number[],
  begin: readonly number[],
  out: Float32Array,
  outShape: readonly number[],
): void {
  forEachBoxRow(outShape, xShape, begin, (o, f, len) => out.set(x.subarray(o, o + len), f));
}
