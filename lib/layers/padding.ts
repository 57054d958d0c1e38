import { TensileError } from '../errors.js';
import { broadcastTo, pad, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { registerLayer } from './registry.js';

// ZeroPadding2D and UpSampling2D: weightless resizing of [batch, height, width, channels].

type Pair = readonly [number, number];

/** Options of tl.layers.zeroPadding2d. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. Default 1. */
  padding?: number | Pair | readonly [Pair, Pair];
  /** 'channelsLast' (NHWC), the only layout tensile computes. */
  dataFormat?: 'channelsLast';
}

const rank4 = (layer: Layer, s: SymbolicShape | readonly number[]) => {
  if (s.length !== 4)
    throw new TensileError(
      layer.name,
      `expected an input of rank 4 [batch, height, width, channels], got shape ${fmtSym(s)}`,
    );
};
const plus = (d: number | null, k: number) => (d === null ? null : d + k);
const times = (d: number | null, k: number) => (d === null ? null : d * k);

/** Adds rows of zeros above and below and columns left and right. */
export class ZeroPadding2D extends Layer<ZeroPadding2DArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'ZeroPadding2D';
  static override readonly argKeys: readonly string[] = ['padding', 'dataFormat'];
  /** [[top, bottom], [left, right]]. */
  readonly padding: [Pair, Pair];
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    const p = args.padding ?? 1;
    const resolved: [Pair, Pair] | null =
      typeof p === 'number'
        ? [
            [p, p],
            [p, p],
          ]
        : Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number')
          ? [
              [p[0] as number, p[0] as number],
              [p[1] as number, p[1] as number],
            ]
          : Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)
            ? [p[0] as Pair, p[1] as Pair]
            : null;
    if (!resolved || !resolved.flat().every((v) => Number.isInteger(v) && v >= 0))
      throw new TensileError(
        'layers.zeroPadding2d',
        `padding must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(p)}`,
      );
    this.padding = resolved;
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    rank4(this, s);
    const [[t, b], [l, r]] = this.padding;
    return [s[0], plus(s[1], t + b), plus(s[2], l + r), s[3]];
  }
  call(x: Tensor): Tensor {
    rank4(this, x.shape);
    return pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}
registerLayer(ZeroPadding2D);

/** Options of tl.layers.upSampling2d. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Repeat factors [rows, cols] (or one for both). Default [2, 2]. */
  size?: number | Pair;
  /** Only 'nearest'. */
  interpolation?: 'nearest';
  /** 'channelsLast' (NHWC), the only layout tensile computes. */
  dataFormat?: 'channelsLast';
}

/** Repeats each row and column (nearest-neighbour upsampling). */
export class UpSampling2D extends Layer<UpSampling2DArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'UpSampling2D';
  static override readonly argKeys: readonly string[] = ['size', 'interpolation', 'dataFormat'];
  /** The upsampling factors for rows and columns. */
  readonly size: [number, number];
  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    const s = args.size ?? 2;
    const size = typeof s === 'number' ? [s, s] : Array.isArray(s) ? [...s] : [];
    if (size.length !== 2 || !size.every((v) => Number.isInteger(v) && v >= 1))
      throw new TensileError(
        'layers.upSampling2d',
        `size must be a positive integer or [rows, cols], got ${JSON.stringify(s)}`,
      );
    if ((args.interpolation ?? 'nearest') !== 'nearest')
      throw new TensileError(
        'layers.upSampling2d',
        `interpolation must be 'nearest', got ${JSON.stringify(args.interpolation)}`,
      );
    this.size = size as [number, number];
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    rank4(this, s);
    return [s[0], times(s[1], this.size[0]), times(s[2], this.size[1]), s[3]];
  }
  call(x: Tensor): Tensor {
    rank4(this, x.shape);
    const [n, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    // [n, h, 1, w, 1, c] broadcast to [n, h, sh, w, sw, c]: each pixel repeated; the gradient sums the copies.
    return reshape(broadcastTo(reshape(x, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]), [n, h * sh, w * sw, c]);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], interpolation: 'nearest', dataFormat: 'channelsLast' };
  }
}
registerLayer(UpSampling2D);
