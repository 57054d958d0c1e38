// The strided layouts kernels walk: row-major strides and broadcast plans (built by tensor/, read by backends).

/**
 * How a broadcasting kernel walks its inputs: the output shape with adjacent dimensions merged
 * where every operand allows it, and each operand's strides over that shape (0 where broadcast).
 * Kernels loop over `shape` and never see the original ranks.
 */
export interface BroadcastPlan {
  readonly shape: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** Row-major strides of a contiguous shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}
