// Training curves as a standalone SVG: one panel per quantity (loss, accuracy, ...), training and validation
// curves together, nice axis ticks, a legend. Written by hand: a few hundred bytes of markup per panel need no
// charting library (the maintained ones are ESM-only or expect a DOM), and the output stays diffable text.
import { TensileError } from '../errors.js';

/** Values by name, one per epoch (or step): History.history, or what plot reads from a TensorBoard log folder. */
export type Curves = Record<string, readonly number[]>;

/** Options of the tl.plot SVG functions. */
export interface CurvesSvgOptions {
  /** A title above the panels. */
  title?: string;
  /** Width of one panel in pixels. Default 420. */
  panelWidth?: number;
  /** Height of one panel in pixels. Default 300. */
  panelHeight?: number;
  /** Which quantities to draw (names without 'val_'), in order. Default: all, loss first. */
  metrics?: string[];
  /** The x values of the curves' points (epochs, 1-based by default, or steps). */
  steps?: readonly number[];
  /** Label of the x axis. Default 'epoch'. */
  xLabel?: string;
}

const COLORS = { train: '#1f77b4', val: '#ff7f0e' };
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  // Of the round steps around the raw one, the one whose tick count is nearest the wanted count.
  const step = [1, 2, 5, 10]
    .map((m) => m * p)
    .reduce((a, b) => (Math.abs((hi - lo) / b - count) < Math.abs((hi - lo) / a - count) ? b : a));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
const label = (v: number) =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4)));

function panel(
  name: string,
  series: [string, readonly number[]][],
  xs: readonly number[],
  w: number,
  h: number,
  xLabel: string,
): string {
  const m = { left: 56, right: 16, top: 34, bottom: 42 };
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const finite = series.flatMap(([, v]) => v.filter(Number.isFinite));
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  // A constant curve gets a range of ±10% around its value, so its ticks still read as its value.
  const half = Math.abs(lo) * 0.1 || 0.5;
  if (!(hi > lo)) [lo, hi] = finite.length ? [lo - half, hi + half] : [0, 1];
  const pad = (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const x0 = xs[0] ?? 0;
  const x1 = xs[xs.length - 1] ?? 1;
  const sx = (x: number) => m.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * pw : pw / 2);
  const sy = (y: number) => m.top + ph - ((y - lo) / (hi - lo)) * ph;
  const parts: string[] = [
    `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(name)}</text>`,
  ];
  for (const t of niceTicks(lo, hi)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${num(sy(t))}" y2="${num(sy(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${num(sy(t) + 4)}" text-anchor="end" font-size="11">${label(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6).filter((t) => x1 > x0 || t === x0)) {
    parts.push(`<line x1="${num(sx(t))}" x2="${num(sx(t))}" y1="${m.top + ph}" y2="${m.top + ph + 4}" stroke="#333"/>`);
    parts.push(`<text x="${num(sx(t))}" y="${m.top + ph + 17}" text-anchor="middle" font-size="11">${label(t)}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${h - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  series.forEach(([key, values], i) => {
    const color = key.startsWith('val_') ? COLORS.val : COLORS.train;
    // A NaN or infinite value breaks the line instead of drawing it off the chart.
    const runs: string[][] = [[]];
    values.forEach((v, j) =>
      Number.isFinite(v) ? runs[runs.length - 1].push(`${num(sx(xs[j]))},${num(sy(v))}`) : runs.push([]),
    );
    for (const r of runs.filter((r) => r.length)) {
      if (r.length === 1)
        parts.push(`<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="2.5" fill="${color}"/>`);
      else parts.push(`<polyline points="${r.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    const ly = m.top + 12 + i * 16;
    parts.push(
      `<line x1="${m.left + pw - 96}" x2="${m.left + pw - 76}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${m.left + pw - 72}" y="${ly}" font-size="11">${esc(key)}</text>`);
  });
  return parts.join('\n');
}

/**
 * Training curves as a standalone SVG document: a panel per quantity, with its val_ curve beside it.
 * @example writeFileSync('curves.svg', tl.plot.curvesSvg(history.history, { title: 'MNIST MLP' }));
 */
export function curvesSvg(curves: Curves, options: CurvesSvgOptions = {}): string {
  const op = 'plot.curvesSvg';
  if (curves === null || typeof curves !== 'object')
    throw new TensileError(op, 'expected values by name, such as history.history');
  for (const [k, v] of Object.entries(curves))
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number'))
      throw new TensileError(op, `'${k}' must be an array of numbers`);
  const base = [...new Set(Object.keys(curves).map((k) => k.replace(/^val_/, '')))].sort((a, b) =>
    a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b),
  );
  const names = options.metrics ?? base;
  for (const n of names)
    if (!base.includes(n)) throw new TensileError(op, `no curve '${n}'; there are: ${base.join(', ')}`);
  if (names.length === 0) throw new TensileError(op, 'there are no curves to draw');
  const w = options.panelWidth ?? 420;
  const h = options.panelHeight ?? 300;
  const titleH = options.title ? 30 : 0;
  const longest = Math.max(...Object.values(curves).map((v) => v.length));
  const xs = options.steps ?? Array.from({ length: longest }, (_, i) => i + 1);
  if (xs.length < longest) throw new TensileError(op, `steps has ${xs.length} values but a curve has ${longest}`);
  const panels = names.map((n, i) => {
    const series = [n, `val_${n}`].filter((k) => curves[k]).map((k) => [k, curves[k]] as [string, readonly number[]]);
    return `<g transform="translate(${i * w},${titleH})">\n${panel(n, series, xs, w, h, options.xLabel ?? 'epoch')}\n</g>`;
  });
  const width = w * names.length;
  const height = h + titleH;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...(options.title
      ? [`<text x="${width / 2}" y="22" text-anchor="middle" font-size="16">${esc(options.title)}</text>`]
      : []),
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
