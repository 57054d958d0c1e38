// Rows of a tensor of samples (axis 0): the batches of fit/evaluate/predict and the splits of lib/data.
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Rows [start, end) of x, in the order of `order` when given (a copy), else a zero-copy view. */
export function takeRows(x: Tensor, start: number, end: number, order?: Int32Array): Tensor {
  const row = sizeOf(x.shape.slice(1));
  const shape = [end - start, ...x.shape.slice(1)];
  if (!order) return new Tensor(x.raw.subarray(start * row, end * row), shape);
  const out = new Float32Array((end - start) * row);
  copyRows(x, start, end, order, out);
  return new Tensor(out, shape);
}

/** Write rows [start, end) of x (in the order of `order` when given) into out, a host array of their size. */
export function copyRows(
  x: Tensor,
  start: number,
  end: number,
  order: Int32Array | undefined,
  out: Float32Array,
): void {
  const row = sizeOf(x.shape.slice(1));
  const src = x.data;
  if (!order) {
    out.set(src.subarray(start * row, end * row));
    return;
  }
  for (let i = start, o = 0; i < end; i++, o += row) {
    const s = order[i] * row;
    // Short rows copy faster by hand than through a subarray view per row.
    if (row < 64) for (let j = 0; j < row; j++) out[o + j] = src[s + j];
    else out.set(src.subarray(s, s + row), o);
  }
}
