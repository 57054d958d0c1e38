import { TensileError } from '../errors.js';
import { broadcastTo, reshape, slice, transpose } from '../ops/index.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { registerLayer } from './registry.js';

// RepeatVector, Permute and Cropping2D: layers that only move or cut values.

/** Options of tl.layers.repeatVector. */
export interface RepeatVectorArgs extends LayerArgs {
  /** Repetitions. */
  n: number;
}
/** [batch, features] → [batch, n, features]. */
export class RepeatVector extends Layer<RepeatVectorArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'RepeatVector';
  static override readonly argKeys: readonly string[] = ['n'];
  constructor(args: RepeatVectorArgs) {
    super(args);
    if (!Number.isInteger(args.n) || args.n < 1)
      throw new TensileError('layers.repeatVector', `n must be a positive integer, got ${String(args.n)}`);
  }
  call(x: Tensor): Tensor {
    if (x.rank !== 2)
      throw new TensileError(this.name, `expects an input [batch, features], got shape ${fmt(x.shape)}`);
    return broadcastTo(reshape(x, [x.shape[0], 1, x.shape[1]]), [x.shape[0], this.args.n, x.shape[1]]);
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const t = s as SymbolicShape;
    return [t[0], this.args.n, t[1]];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.args.n };
  }
}
registerLayer(RepeatVector);

/** Options of tl.layers.permute. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank (the batch axis stays first), e.g. [2, 1]. */
  dims: readonly number[];
}
/** Permutes the axes of each sample. */
export class Permute extends Layer<PermuteArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Permute';
  static override readonly argKeys: readonly string[] = ['dims'];
  constructor(args: PermuteArgs) {
    super(args);
    const d = args.dims;
    if (!Array.isArray(d) || d.length === 0 || [...d].sort((a, b) => a - b).some((v, i) => v !== i + 1))
      throw new TensileError(
        'layers.permute',
        `dims must be a permutation of 1..${Array.isArray(d) ? d.length : 'rank'} (the batch axis 0 stays), got ${JSON.stringify(d)}`,
      );
  }
  call(x: Tensor): Tensor {
    if (x.rank !== this.args.dims.length + 1)
      throw new TensileError(
        this.name,
        `dims ${JSON.stringify(this.args.dims)} expect an input of rank ${this.args.dims.length + 1}, got shape ${fmt(x.shape)}`,
      );
    return transpose(x, [0, ...this.args.dims]);
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const t = s as SymbolicShape;
    return [t[0], ...this.args.dims.map((d) => t[d])];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.args.dims] };
  }
}
registerLayer(Permute);

/** Options of tl.layers.cropping2d. */
export interface Cropping2DArgs extends LayerArgs {
  /** n (all sides), [h, w] (symmetric) or [[top, bottom], [left, right]] (default 0). */
  cropping?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
}
/** Cuts rows and columns off the edges of [batch, h, w, c] images. */
export class Cropping2D extends Layer<Cropping2DArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Cropping2D';
  static override readonly argKeys: readonly string[] = ['cropping', 'dataFormat'];
  /** Rows and columns cut off: [[top, bottom], [left, right]]. */
  readonly cropping: [[number, number], [number, number]];
  constructor(args: Cropping2DArgs = {}) {
    super(args);
    const c = args.cropping ?? 0;
    const pair = (v: unknown): [number, number] =>
      typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : [NaN, NaN];
    this.cropping =
      typeof c === 'number'
        ? [
            [c, c],
            [c, c],
          ]
        : Array.isArray(c) && c.length === 2
          ? [pair(c[0]), pair(c[1])]
          : [
              [NaN, NaN],
              [NaN, NaN],
            ];
    if (this.cropping.flat().some((v) => !Number.isInteger(v) || v < 0))
      throw new TensileError(
        'layers.cropping2d',
        `cropping must be n, [h, w] or [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(c)}`,
      );
  }
  call(x: Tensor): Tensor {
    const [[t, b], [l, r]] = this.cropping;
    if (x.rank !== 4 || x.shape[1] - t - b < 0 || x.shape[2] - l - r < 0)
      throw new TensileError(
        this.name,
        `cannot crop ${JSON.stringify(this.cropping)} from an input [batch, h, w, c] of shape ${fmt(x.shape)}`,
      );
    return slice(x, [0, t, l, 0], [x.shape[0], x.shape[1] - t - b, x.shape[2] - l - r, x.shape[3]]);
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const i = s as SymbolicShape;
    const [[t, b], [l, r]] = this.cropping;
    if (i.length !== 4) throw new TensileError(this.name, `expects [batch, h, w, c], got ${fmtSym(i)}`);
    return [i[0], i[1] === null ? null : i[1] - t - b, i[2] === null ? null : i[2] - l - r, i[3]];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]) };
  }
}
registerLayer(Cropping2D);
