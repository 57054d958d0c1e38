import { TensileError } from '../errors.js';
import { avgPool2d, div, max, maxPool2d, maximum, mean, mul, reshape, scalar, sum } from '../ops/index.js';
import { maskOf } from './masking.js';
import { type Padding, axisGeometry, checkPadding, sizes } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type SymbolicShape, fmtSym } from './layer.js';
import { registerLayer } from './registry.js';

// MaxPooling2D, AveragePooling2D, MaxPooling1D, AveragePooling1D and the global poolings, channels-last.

/** Options of the max and average pooling layers (1-D and 2-D). */
export interface PoolingArgs extends LayerArgs {
  /** Window size (default 2 per axis). */
  poolSize?: number | readonly number[];
  /** Default: the pool size. */
  strides?: number | readonly number[] | null;
  /** Default 'valid'. */
  padding?: Padding;
  /** Only 'channelsLast'. */
  dataFormat?: 'channelsLast';
}

abstract class Pooling extends Layer<PoolingArgs> {
  static override readonly argKeys: readonly string[] = ['poolSize', 'strides', 'padding', 'dataFormat'];
  /** Which reduction the layer computes. */
  abstract readonly kind: 'max' | 'avg';
  /** The size of the pooling window along each spatial dimension. */
  readonly poolSize: number[];
  /** The step of the window along each spatial dimension. */
  readonly strides: number[];
  /** 'valid' (no padding) or 'same' (the output keeps the input's size at stride 1). */
  readonly padding: Padding;

  constructor(
    args: PoolingArgs,
    /** The number of spatial dimensions: 1 or 2. */
    readonly rank: 1 | 2,
  ) {
    super(args);
    const op = `layers.${(this.constructor as typeof Layer).className.charAt(0).toLowerCase()}${(this.constructor as typeof Layer).className.slice(1)}`;
    if (args.dataFormat !== undefined && args.dataFormat !== 'channelsLast')
      throw new TensileError(
        op,
        `dataFormat must be 'channelsLast' (tensile is channels-last), got ${JSON.stringify(args.dataFormat)}`,
      );
    this.poolSize = sizes(op, 'poolSize', args.poolSize ?? 2, rank);
    this.strides = sizes(op, 'strides', args.strides ?? this.poolSize, rank);
    this.padding = checkPadding(op, args.padding ?? 'valid');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== this.rank + 2)
      throw new TensileError(
        this.name,
        `expected an input of rank ${this.rank + 2} [batch, ${this.rank === 2 ? 'height, width' : 'steps'}, channels], got shape ${fmtSym(inputShape)}`,
      );
    const spatial = inputShape.slice(1, -1).map((size, i) => {
      if (size === null) return null;
      const g = axisGeometry(size, this.poolSize[i], this.strides[i], 1, this.padding);
      if (!g)
        throw new TensileError(
          this.name,
          `the pool size [${this.poolSize.join(', ')}] is larger than the input ${fmtSym(inputShape)} with padding '${this.padding}'`,
        );
      return g.out;
    });
    return [inputShape[0], ...spatial, inputShape[inputShape.length - 1]];
  }

  call(x: Tensor): Tensor {
    const pool = this.kind === 'max' ? maxPool2d : avgPool2d;
    if (x.rank !== this.rank + 2)
      throw new TensileError(
        this.name,
        `expected an input of rank ${this.rank + 2} [batch, ${this.rank === 2 ? 'height, width' : 'steps'}, channels], got shape [${x.shape.join(', ')}]`,
      );
    if (this.rank === 2)
      return pool(x, { poolSize: this.poolSize, strides: this.strides, padding: this.padding, name: this.name });
    const [n, steps, c] = x.shape;
    const y = pool(reshape(x, [n, 1, steps, c]), {
      poolSize: [1, this.poolSize[0]],
      strides: [1, this.strides[0]],
      padding: this.padding,
      name: this.name,
    });
    return reshape(y, [n, y.shape[2], c]);
  }

  override getConfig(): Record<string, unknown> {
    const one = (v: number[]) => (this.rank === 1 ? v[0] : [...v]);
    return {
      ...super.getConfig(),
      poolSize: one(this.poolSize),
      padding: this.padding,
      strides: one(this.strides),
      dataFormat: 'channelsLast',
    };
  }
}

/** Max over windows of [batch, height, width, channels]. */
export class MaxPooling2D extends Pooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'MaxPooling2D';
  /** Which reduction the layer computes. */
  readonly kind = 'max';
  constructor(args: PoolingArgs = {}) {
    super(args, 2);
  }
}
registerLayer(MaxPooling2D);

/** Mean over windows of [batch, height, width, channels] ('same' padding is not counted). */
export class AveragePooling2D extends Pooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'AveragePooling2D';
  /** Which reduction the layer computes. */
  readonly kind = 'avg';
  constructor(args: PoolingArgs = {}) {
    super(args, 2);
  }
}
registerLayer(AveragePooling2D);

/** Max over windows of [batch, steps, channels]. */
export class MaxPooling1D extends Pooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'MaxPooling1D';
  /** Which reduction the layer computes. */
  readonly kind = 'max';
  constructor(args: PoolingArgs = {}) {
    super(args, 1);
  }
}
registerLayer(MaxPooling1D);

/** Mean over windows of [batch, steps, channels]. */
export class AveragePooling1D extends Pooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'AveragePooling1D';
  /** Which reduction the layer computes. */
  readonly kind = 'avg';
  constructor(args: PoolingArgs = {}) {
    super(args, 1);
  }
}
registerLayer(AveragePooling1D);

/** Mean or max over every spatial axis: [batch, ...spatial, channels] → [batch, channels]. */
/** Options of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** Only 'channelsLast' (NHWC) is computed. */
  dataFormat?: 'channelsLast';
}

abstract class GlobalPooling extends Layer<GlobalPoolingArgs> {
  static override readonly argKeys: readonly string[] = ['dataFormat'];
  /** How the pooling window is reduced: max or average. */
  abstract readonly reduce: typeof mean;
  constructor(
    args: GlobalPoolingArgs,
    /** The number of spatial dimensions: 1 or 2. */
    readonly rank: 1 | 2,
  ) {
    super(args);
  }
  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    if (s.length !== this.rank + 2)
      throw new TensileError(
        this.name,
        `expected an input of rank ${this.rank + 2} (channels last), got shape ${fmtSym(s)}`,
      );
    return [s[0], s[s.length - 1]];
  }
  call(x: Tensor): Tensor {
    if (x.rank !== this.rank + 2)
      throw new TensileError(
        this.name,
        `expected an input of rank ${this.rank + 2} (channels last), got shape [${x.shape.join(', ')}]`,
      );
    return this.reduce(x, { axis: this.rank === 2 ? [1, 2] : [1] });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: 'channelsLast' };
  }
}

/** The mean over height and width: [batch, h, w, channels] to [batch, channels]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GlobalAveragePooling2D';
  /** How the pooling window is reduced: max or average. */
  readonly reduce = mean;
  constructor(args: LayerArgs = {}) {
    super(args, 2);
  }
}
registerLayer(GlobalAveragePooling2D);

/** The maximum over height and width: [batch, h, w, channels] to [batch, channels]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GlobalMaxPooling2D';
  /** How the pooling window is reduced: max or average. */
  readonly reduce = max;
  constructor(args: LayerArgs = {}) {
    super(args, 2);
  }
}
registerLayer(GlobalMaxPooling2D);

/** The mean over the time axis: [batch, steps, channels] to [batch, channels]. */
export class GlobalAveragePooling1D extends GlobalPooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GlobalAveragePooling1D';
  /** How the pooling window is reduced: max or average. */
  readonly reduce = mean;
  constructor(args: LayerArgs = {}) {
    super(args, 1);
  }
  /** With a [batch, steps] mask on the input (an embedding's maskZero), the mean of the kept steps only, as Keras. */
  override call(x: Tensor): Tensor {
    const m = maskOf(x);
    if (!m || x.rank !== 3) return super.call(x);
    const w = reshape(m, [x.shape[0], x.shape[1], 1]);
    return div(sum(mul(x, w), { axis: [1] }), maximum(sum(w, { axis: [1] }), scalar(1e-7)));
  }
}
registerLayer(GlobalAveragePooling1D);

/** The maximum over the time axis: [batch, steps, channels] to [batch, channels]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GlobalMaxPooling1D';
  /** How the pooling window is reduced: max or average. */
  readonly reduce = max;
  constructor(args: LayerArgs = {}) {
    super(args, 1);
  }
}
registerLayer(GlobalMaxPooling1D);
