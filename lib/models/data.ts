import { TensileError } from '../errors.js';
import { tensor } from '../tensor/create.js';
import { checkShape, fmt, sizeOf } from '../tensor/shape.js';
import { type NestedArray, Tensor } from '../tensor/tensor.js';
import { takeRows } from '../tensor/rows.js';

/** What fit/evaluate/predict take: a Tensor, nested arrays, or a flat array with a shape. */
export type DataLike =
  | Tensor
  | NestedArray
  | {
      /** The values, row-major. */
      data: ArrayLike<number>;
      /** The dimensions. */
      shape: readonly number[];
    };

/** A tensor of samples along axis 0, without copying a Tensor the user passed. */
export function toSamples(op: string, name: string, x: DataLike): Tensor {
  let t: Tensor;
  if (x instanceof Tensor) t = x;
  else if (Array.isArray(x)) t = tensor(x as NestedArray);
  else if (x && typeof x === 'object' && 'data' in x && 'shape' in x) {
    const shape = checkShape(op, [...x.shape]);
    if (x.data.length !== sizeOf(shape))
      throw new TensileError(op, `${name} has ${x.data.length} values but shape ${fmt(shape)} needs ${sizeOf(shape)}`);
    t = new Tensor(Float32Array.from(x.data), shape);
  } else
    throw new TensileError(
      op,
      `${name} must be a Tensor, nested arrays or { data, shape }, got ${x === null ? 'null' : typeof x}`,
    );
  if (t.rank === 0) throw new TensileError(op, `${name} must have a batch axis, got a scalar`);
  return t;
}

export { copyRows, takeRows } from '../tensor/rows.js';

/** Split samples at index `at`: [0, at) and [at, n), as views. */
export function splitRows(x: Tensor, at: number): [Tensor, Tensor] {
  return [takeRows(x, 0, at), takeRows(x, at, x.shape[0])];
}

/** What fit/evaluate/predict take for a model of several inputs or outputs: a list in model order, or an object keyed by name. */
export type ModelData = DataLike | readonly DataLike[] | Readonly<Record<string, DataLike>>;

const isDataObject = (v: unknown): boolean =>
  v instanceof Tensor || (v !== null && typeof v === 'object' && !Array.isArray(v) && 'data' in v && 'shape' in v);

/**
 * One tensor of samples per input (or output), in model order, from a single DataLike (one input), a list in
 * model order, or an object keyed by input (output) name; every count and key checked.
 */
export function toSampleList(
  op: string,
  what: 'x' | 'y' | string,
  data: ModelData,
  names: readonly string[],
): Tensor[] {
  const kind = what.startsWith('x') || what.endsWith('[0]') ? 'input' : 'output';
  if (Array.isArray(data) && data.length > 0 && data.every(isDataObject) && (names.length > 1 || data.length === 1)) {
    if (data.length !== names.length)
      throw new TensileError(
        op,
        `${what} is a list of ${data.length} tensors but the model has ${names.length} ${kind}s (${names.join(', ')})`,
      );
    return data.map((d, i) => toSamples(op, names.length > 1 ? `${what}[${i}] (${names[i]})` : what, d as DataLike));
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && !isDataObject(data)) {
    const rec = data as Readonly<Record<string, DataLike>>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    const missing = names.filter((n) => !(n in rec));
    if (unknown.length > 0 || missing.length > 0)
      throw new TensileError(
        op,
        `${what} is keyed by ${
          Object.keys(rec)
            .map((k) => `'${k}'`)
            .join(', ') || 'nothing'
        } but the model's ${kind}s are ${names.map((n) => `'${n}'`).join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
      );
    return names.map((n) => toSamples(op, `${what}.${n}`, rec[n]));
  }
  if (names.length > 1)
    throw new TensileError(
      op,
      `the model has ${names.length} ${kind}s (${names.join(', ')}); give ${what} as a list of ${names.length} tensors or an object keyed by those names`,
    );
  return [toSamples(op, what, data as DataLike)];
}
