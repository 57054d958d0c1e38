import { TensileError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { fmt, sizeOf } from '../tensor/shape.js';
import { type NestedArray, Tensor } from '../tensor/tensor.js';

const op = 'data.Dataset.batch';

/** A leaf is a value batch() stacks: a number, a Tensor, a typed array, or nested arrays of numbers. */
function isNumericArray(v: unknown): boolean {
  let x = v;
  while (Array.isArray(x)) {
    if (x.length === 0) return true;
    x = x[0];
  }
  return typeof x === 'number';
}
const isLeaf = (v: unknown): boolean =>
  typeof v === 'number' ||
  v instanceof Tensor ||
  (ArrayBuffer.isView(v) && !(v instanceof DataView)) ||
  isNumericArray(v);

/** A leaf as a Tensor (a Tensor the user passed is used as it is, not copied). */
function leafTensor(v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') return new Tensor(Float32Array.of(v), []);
  if (ArrayBuffer.isView(v)) return tensor(v as Float32Array);
  return tensor(v as NestedArray);
}

/** Leaves stacked along a new first axis: [n, ...shape of each]. */
function stackLeaves(values: unknown[], path: string): Tensor {
  // Flat number arrays, the common case of CSV rows, are copied without making a Tensor per row.
  if (
    Array.isArray(values[0]) &&
    typeof values[0][0] === 'number' &&
    values.every((v) => Array.isArray(v) && v.length === (values[0] as number[]).length && typeof v[0] === 'number')
  ) {
    const row = (values[0] as number[]).length;
    const out = new Float32Array(values.length * row);
    values.forEach((v, i) => {
      for (let j = 0; j < row; j++) {
        const x = (v as unknown[])[j];
        if (typeof x !== 'number')
          throw new TensileError(
            op,
            `${where(path)}element ${i} of the batch holds ${typeof x} at index ${j}, expected a number`,
          );
        out[i * row + j] = x;
      }
    });
    return new Tensor(out, [values.length, row]);
  }
  const ts = values.map(leafTensor);
  const shape = ts[0].shape;
  const size = sizeOf(shape);
  const out = new Float32Array(ts.length * size);
  ts.forEach((t, i) => {
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k]))
      throw new TensileError(
        op,
        `${where(path)}element ${i} of the batch has shape ${fmt(t.shape)}, element 0 has ${fmt(shape)}; a batch needs one shape`,
      );
    out.set(t.data, i * size);
  });
  return new Tensor(out, [ts.length, ...shape]);
}

const where = (path: string) => (path ? `'${path}': ` : '');

/**
 * Elements stacked into one batch, as tfjs-data's batch(): leaves (numbers, arrays of numbers, Tensors) become a
 * Tensor with a new first axis; arrays and objects holding other things are batched entry by entry; strings stay
 * an array.
 */
export function stackElements(values: unknown[], path = ''): unknown {
  const first = values[0];
  if (isLeaf(first)) return stackLeaves(values, path);
  if (typeof first === 'string' || typeof first === 'boolean') return values;
  if (first !== null && typeof first === 'object') {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = Array.isArray(first) ? ([] as unknown as Record<string, unknown>) : {};
    for (const k of keys) {
      const column = values.map((v, i) => {
        if (v === null || typeof v !== 'object' || !(k in v))
          throw new TensileError(
            op,
            `element ${i} of the batch has no '${path ? `${path}.` : ''}${k}', element 0 has one; a batch needs one structure`,
          );
        return (v as Record<string, unknown>)[k];
      });
      out[k] = stackElements(column, path ? `${path}.${k}` : k);
    }
    return out;
  }
  throw new TensileError(
    op,
    `${where(path)}cannot batch ${first === null ? 'null' : typeof first} elements; expected numbers, arrays, Tensors or objects of them`,
  );
}
