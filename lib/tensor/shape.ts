import { TensileError } from '../errors.js';

/** A tensor's dimensions, outermost first. [] is a scalar. */
export type Shape = readonly number[];

export const fmt = (s: Shape): string => `[${s.join(', ')}]`;

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless every entry is a non-negative integer and the size is representable. */
export function checkShape(op: string, shape: readonly unknown[]): Shape {
  if (!Array.isArray(shape)) throw new TensileError(op, `shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 2 ** 31 - 1)
      throw new TensileError(op, `shape entries must be non-negative integers, got [${shape.map(String).join(', ')}]`);
  }
  const s = shape as number[];
  if (sizeOf(s) > 2 ** 32 - 1)
    throw new TensileError(op, `shape ${fmt(s)} has more elements than a Float32Array can hold`);
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export { stridesOf } from '../backend/strides.js';

/** NumPy broadcasting of several shapes, or a TensileError naming the op and the shapes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new TensileError(op, `shapes ${shapes.map(fmt).join(' and ')} cannot be broadcast together`);
    }
  }
  return out;
}

/**
 * Resolve a possibly negative axis against a shape (or just a rank), or throw naming the op and the shape.
 * A scalar accepts axis 0 or -1, both meaning 0.
 */
export function normAxis(op: string, axis: number, shape: Shape | number): number {
  const rank = typeof shape === 'number' ? shape : shape.length;
  if (!Number.isInteger(axis) || axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    const where = typeof shape === 'number' ? `rank ${rank}` : `shape ${fmt(shape)} (rank ${rank})`;
    throw new TensileError(op, `axis ${axis} is out of range for ${where}`);
  }
  return axis < 0 ? axis + Math.max(rank, 1) : axis;
}

/** Resolve axes (undefined: all) to sorted, unique, non-negative axes. */
export function normAxes(op: string, axes: number | readonly number[] | undefined, shape: Shape | number): number[] {
  const rank = typeof shape === 'number' ? shape : shape.length;
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes))
    throw new TensileError(
      op,
      `axis must be a number or an array of numbers, got ${axes === null ? 'null' : typeof axes}`,
    );
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normAxis(op, a, shape)))].sort((x, y) => x - y);
  if (out.length !== list.length) throw new TensileError(op, `axes [${list.join(', ')}] repeat an axis`);
  return out;
}
