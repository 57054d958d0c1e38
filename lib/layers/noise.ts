import { TensileError } from '../errors.js';
import { add, mul } from '../ops/index.js';
import { normal, uniform } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { CallContext, LayerArgs } from './layer.js';
import { Layer } from './layer.js';
import { registerLayer } from './registry.js';

// Regularizers active in training only (identity in inference): GaussianNoise, GaussianDropout,
// SpatialDropout1D/2D. Every draw comes from the seeded generator (tl.setSeed).

const rateOf = (op: string, rate: unknown): number => {
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
    throw new TensileError(op, `rate must be a number in [0, 1), got ${String(rate)}`);
  return rate;
};

const draw = (n: number, f: () => number): Float32Array => Float32Array.from({ length: n }, f);

/** Options of tl.layers.gaussianNoise. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise. */
  stddev: number;
  /** Accepted for Keras compatibility but unused: the noise comes from the generator seeded by tl.setSeed. */
  seed?: number;
}
/** Adds N(0, stddev²) noise in training. */
export class GaussianNoise extends Layer<GaussianNoiseArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GaussianNoise';
  static override readonly argKeys: readonly string[] = ['stddev', 'seed'];
  constructor(args: GaussianNoiseArgs) {
    super(args);
    if (typeof args.stddev !== 'number' || !(args.stddev >= 0) || !Number.isFinite(args.stddev))
      throw new TensileError(
        'layers.gaussianNoise',
        `stddev must be a non-negative number, got ${String(args.stddev)}`,
      );
  }
  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.args.stddev === 0) return x;
    return add(
      x,
      new Tensor(
        draw(x.size, () => normal() * this.args.stddev),
        x.shape,
      ),
    );
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.args.stddev };
  }
}
registerLayer(GaussianNoise);

/** Options of tl.layers.gaussianDropout, tl.layers.spatialDropout1d and tl.layers.spatialDropout2d. */
export interface RateArgs extends LayerArgs {
  /** The drop rate, in [0, 1). */
  rate: number;
  /** Accepted for Keras compatibility but unused: the noise comes from the generator seeded by tl.setSeed. */
  seed?: number;
}

/** Multiplies by N(1, rate/(1 − rate)) noise in training (the mean is kept). */
export class GaussianDropout extends Layer<RateArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GaussianDropout';
  static override readonly argKeys: readonly string[] = ['rate', 'seed'];
  /** The drop rate, in [0, 1). */
  readonly rate: number;
  constructor(args: RateArgs) {
    super(args);
    this.rate = rateOf('layers.gaussianDropout', args.rate);
  }
  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    const std = Math.sqrt(this.rate / (1 - this.rate));
    return mul(
      x,
      new Tensor(
        draw(x.size, () => 1 + normal() * std),
        x.shape,
      ),
    );
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerLayer(GaussianDropout);

/** Dropout of whole feature maps: one draw per sample and channel, shared by every position. */
abstract class SpatialDropout extends Layer<RateArgs> {
  static override readonly argKeys: readonly string[] = ['rate', 'seed'];
  /** The drop rate, in [0, 1). */
  readonly rate: number;
  /** @param spatialRank The number of spatial axes between the batch and channel axes: 1 or 2. */
  constructor(
    args: RateArgs,
    readonly spatialRank: 1 | 2,
  ) {
    super(args);
    this.rate = rateOf(`layers.spatialDropout${spatialRank}d`, args.rate);
  }
  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank !== this.spatialRank + 2)
      throw new TensileError(
        this.name,
        `expects an input of rank ${this.spatialRank + 2} (channels last), got shape ${fmt(x.shape)}`,
      );
    if (!ctx.training || this.rate === 0) return x;
    const keep = 1 - this.rate;
    const [n, c] = [x.shape[0], x.shape[x.rank - 1]];
    const shape = [n, ...new Array<number>(this.spatialRank).fill(1), c];
    return mul(
      x,
      new Tensor(
        draw(n * c, () => (uniform() < keep ? 1 / keep : 0)),
        shape,
      ),
    );
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/** Drops whole channels of [batch, steps, channels]. */
export class SpatialDropout1D extends SpatialDropout {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'SpatialDropout1D';
  constructor(args: RateArgs) {
    super(args, 1);
  }
}
registerLayer(SpatialDropout1D);

/** Drops whole channels of [batch, h, w, channels]. */
export class SpatialDropout2D extends SpatialDropout {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'SpatialDropout2D';
  constructor(args: RateArgs) {
    super(args, 2);
  }
}
registerLayer(SpatialDropout2D);
