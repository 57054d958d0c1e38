import { type Shape, sizeOf } from './shape.js';

const EDGE = 3; // values kept at each end of a summarised axis
const THRESHOLD = 1000; // NumPy's: summarise beyond this many elements

function formatNumber(v: number, fixed: boolean): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (!fixed) return v.toExponential(4).replace(/\.?0+e/, 'e');
  if (Number.isInteger(v)) return `${v}.`;
  return v.toFixed(4).replace(/0+$/, '');
}

/** NumPy-style text: aligned columns, nested brackets, '...' past 1000 elements. */
export function formatTensor(data: Float32Array, shape: Shape): string {
  const summarise = data.length > THRESHOLD;
  let max = 0;
  let min = Infinity;
  for (const v of data) {
    const a = Math.abs(v);
    if (!Number.isFinite(a)) continue;
    if (a > max) max = a;
    if (a > 0 && a < min) min = a;
  }
  const fixed = max < 1e8 && min >= 1e-4;
  const shown = shownIndices(shape, summarise);
  const cells = new Map<number, string>();
  for (const i of shown) cells.set(i, formatNumber(data[i], fixed));
  const width = Math.max(0, ...[...cells.values()].map((c) => c.length));
  const cell = (i: number) => cells.get(i)!;
  const body = (dim: number, offset: number, indent: string): string => {
    if (shape.length === 0) return cell(0);
    const n = shape[dim];
    const inner = sizeOf(shape.slice(dim + 1));
    const idx = summarise && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    if (dim === shape.length - 1) {
      return `[${idx.map((i) => (i < 0 ? '...' : cell(offset + i).padStart(width))).join(', ')}]`;
    }
    const sep = `,${'\n'.repeat(shape.length - dim - 1)}${indent} `;
    return `[${idx.map((i) => (i < 0 ? '...' : body(dim + 1, offset + i * inner, `${indent} `))).join(sep)}]`;
  };
  return `${body(0, 0, '')}, shape=[${shape.join(', ')}]`;
}

/** Flat indices of the elements that will be printed. */
function shownIndices(shape: Shape, summarise: boolean): number[] {
  let out = [0];
  for (const n of shape) {
    const idx = summarise && n > 2 * EDGE ? [...range(0, EDGE), ...range(n - EDGE, n)] : range(0, n);
    out = out.flatMap((o) => idx.map((i) => o * n + i));
  }
  return sizeOf(shape) === 0 ? [] : out;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
