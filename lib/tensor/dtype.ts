import { TensileError } from '../errors.js';

/**
 * A tensor's element type, as tfjs names it. Every dtype is stored in a Float32Array: kernels, the native
 * addon and the float32 hot paths know one element type, and the tag costs nothing where it is not read.
 * int32 values are integers of magnitude ≤ 2^24 (exact in float32; larger ones are refused on creation,
 * never rounded silently); bool values are 0 and 1. Labels, indices, masks and comparisons need no more.
 */
export type DType = 'float32' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];
/** The largest integer magnitude an int32 tensor holds (float32 represents every integer up to 2^24 exactly). */
export const INT32_EXACT = 2 ** 24;

export function checkDtype(op: string, d: unknown): DType {
  if (d === undefined) return 'float32';
  if (typeof d !== 'string' || !(DTYPES as readonly string[]).includes(d))
    throw new TensileError(
      op,
      `dtype must be one of ${DTYPES.map((t) => `'${t}'`).join(', ')}, got ${typeof d === 'string' ? `'${d}'` : String(d)}`,
    );
  return d as DType;
}

/**
 * Convert float32-stored values in place to a dtype's values, as tfjs' cast does: int32 truncates toward
 * zero (NaN becomes 0), bool is 1 where the value is not 0.
 */
export function convertValues(op: string, data: Float32Array, dtype: DType): Float32Array {
  if (dtype === 'int32') {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (Math.abs(v) > INT32_EXACT)
        throw new TensileError(
          op,
          `int32 value ${v} at position ${i} exceeds ±2^24, the integers tensile's int32 tensors hold exactly`,
        );
      data[i] = v !== v ? 0 : Math.trunc(v);
    }
  } else if (dtype === 'bool') {
    for (let i = 0; i < data.length; i++) data[i] = data[i] !== 0 ? 1 : 0;
  }
  return data;
}

/** The dtype of an arithmetic result, as tfjs': int32 when every input is int32 or bool, else float32. */
export const arithmeticDtype = (...dtypes: readonly DType[]): DType =>
  dtypes.every((d) => d !== 'float32') ? 'int32' : 'float32';
