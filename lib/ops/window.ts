import { TensileError } from '../errors.js';
import { fmt } from '../tensor/shape.js';

// The geometry that convolution and pooling share: Keras' output-size and padding rules, channels-last.

/** 'valid' or 'same'. */
export type Padding = 'valid' | 'same';
export const PADDINGS: readonly Padding[] = ['valid', 'same'];

/** A size for each spatial axis, given as one number for all or one per axis. */
export type Sizes = number | readonly number[];

/** Resolve `value` to `rank` positive integers, naming `what` in the error. */
export function sizes(op: string, what: string, value: Sizes, rank: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(rank).fill(value) : Array.isArray(value) ? [...value] : [];
  // ≤ 2^31 − 1: the native kernels index with int-sized dimensions.
  if (list.length !== rank || !list.every((v) => Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1))
    throw new TensileError(
      op,
      `${what} must be a positive integer (below 2^31) or ${rank} of them, got ${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`,
    );
  return list;
}

export function checkPadding(op: string, padding: unknown): Padding {
  if (!PADDINGS.includes(padding as Padding))
    throw new TensileError(op, `padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  return padding as Padding;
}

/** One spatial axis: output size and padding before it (TensorFlow puts the odd pixel of 'same' padding after). */
export interface AxisGeometry {
  readonly out: number;
  readonly padBefore: number;
}

/**
 * Keras' rule for an input of `size` and a window of `k` taps `dilation` apart, moved by `stride`:
 * 'valid' out = ⌈(size − span + 1)/stride⌉ with span = (k − 1)·dilation + 1; 'same' out = ⌈size/stride⌉ and
 * pad_total = max((out − 1)·stride + span − size, 0), floor(pad_total/2) before. Null when a 'valid' window does not fit.
 */
export function axisGeometry(
  size: number,
  k: number,
  stride: number,
  dilation: number,
  padding: Padding,
): AxisGeometry | null {
  const span = (k - 1) * dilation + 1;
  if (padding === 'valid') return size < span ? null : { out: Math.floor((size - span) / stride) + 1, padBefore: 0 };
  const out = Math.ceil(size / stride);
  return { out, padBefore: Math.floor(Math.max((out - 1) * stride + span - size, 0) / 2) };
}

/** axisGeometry for every spatial axis, or a TensileError naming the input and window shapes. */
export function spatialGeometry(
  op: string,
  xShape: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  padding: Padding,
  windowName: string,
): AxisGeometry[] {
  return window.map((k, i) => {
    const g = axisGeometry(xShape[1 + i], k, strides[i], dilations[i], padding);
    if (!g)
      throw new TensileError(
        op,
        `the ${windowName} ${fmt(window)}${dilations.some((d) => d > 1) ? ` (dilation ${fmt(dilations)})` : ''} is larger than the input ${fmt(xShape)} with padding '${padding}'; use padding 'same' or a smaller ${windowName}`,
      );
    return g;
  });
}
