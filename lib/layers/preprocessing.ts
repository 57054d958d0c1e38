import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { add, div, equal, maximum, mean, min, mul, reshape, scalar, sqrt, square, sub } from '../ops/index.js';
import { fmt, normAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { withMask } from './masking.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

// Masking, Rescaling and Normalization: fixed or adapted transforms of the input.

/** Options of tl.layers.masking. */
export interface MaskingArgs extends LayerArgs {
  /** Time steps whose every feature equals this are masked (default 0). */
  maskValue?: number;
}
/**
 * Keras' Masking: a step of [batch, steps, features] whose features all equal maskValue is zeroed and masked for
 * the layers after it (recurrent layers skip it, attention ignores it, globalAveragePooling1d leaves it out).
 */
export class Masking extends Layer<MaskingArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Masking';
  static override readonly argKeys: readonly string[] = ['maskValue'];
  /** Time steps whose every feature equals this are masked. */
  readonly maskValue: number;
  constructor(args: MaskingArgs = {}) {
    super(args);
    const v = args.maskValue ?? 0;
    if (typeof v !== 'number') throw new TensileError('layers.masking', `maskValue must be a number, got ${typeof v}`);
    this.maskValue = v;
  }
  call(x: Tensor): Tensor {
    if (x.rank < 3)
      throw new TensileError(this.name, `expects an input [batch, steps, features], got shape ${fmt(x.shape)}`);
    // A step is kept when any feature differs from maskValue: 1 − min over features of (x = maskValue).
    const keep = noGrad(() => sub(scalar(1), min(equal(x, scalar(this.maskValue)), { axis: -1, keepDims: true })));
    return withMask(mul(x, keep), reshape(keep, x.shape.slice(0, -1)));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
registerLayer(Masking);

/** Options of tl.layers.rescaling. */
export interface RescalingArgs extends LayerArgs {
  /** The factor the input is multiplied by. */
  scale: number;
  /** Default 0. */
  offset?: number;
}
/** x·scale + offset, e.g. pixels to [0, 1] with scale 1/255. */
export class Rescaling extends Layer<RescalingArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Rescaling';
  static override readonly argKeys: readonly string[] = ['scale', 'offset'];
  /** The factor the input is multiplied by. */
  readonly scale: number;
  /** The value added after scaling. */
  readonly offset: number;
  constructor(args: RescalingArgs) {
    super(args);
    const num = (n: string, v: unknown) => {
      // Finite in float32 too: 1e300 would be Infinity in the kernel, and 0·Infinity a NaN.
      if (typeof v !== 'number' || !Number.isFinite(Math.fround(v)))
        throw new TensileError(
          'layers.rescaling',
          `${n} must be a finite float32 number (|${n}| < 3.4e38), got ${String(v)}`,
        );
      return v;
    };
    this.scale = num('scale', args.scale);
    this.offset = num('offset', args.offset ?? 0);
  }
  call(x: Tensor): Tensor {
    const y = mul(x, scalar(this.scale));
    return this.offset === 0 ? y : add(y, scalar(this.offset));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
registerLayer(Rescaling);

/** Options of tl.layers.normalization. */
export interface NormalizationArgs extends LayerArgs {
  /** The feature axis, kept apart (default -1); statistics are over every other axis. */
  axis?: number;
  /** Known statistics (per feature, or one number); otherwise call adapt(data). */
  mean?: number | readonly number[];
  /** Known variance (per feature, or one number); given together with mean. */
  variance?: number | readonly number[];
}
/**
 * Keras' Normalization: (x − mean)/max(√variance, 1e-7) per feature, with mean and variance given or learned
 * from data by adapt(). Weights (not trainable), as Keras 2 saves them: mean, variance, count.
 */
export class Normalization extends Layer<NormalizationArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Normalization';
  static override readonly argKeys: readonly string[] = ['axis', 'mean', 'variance'];
  /** The feature axis, which keeps its own mean and variance. */
  readonly axis: number;
  private stats?: { mean: Variable; variance: Variable; count: Variable };
  constructor(args: NormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis))
      throw new TensileError('layers.normalization', `axis must be an integer, got ${String(args.axis)}`);
    if ((args.mean === undefined) !== (args.variance === undefined))
      throw new TensileError('layers.normalization', 'give both mean and variance, or neither (then call adapt(data))');
  }
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = inputShape as SymbolicShape;
    const d =
      s[
        normAxis(
          this.name,
          this.axis,
          s.map((v) => v ?? 1),
        )
      ];
    if (d === null || d === undefined)
      throw new TensileError(this.name, `the feature axis ${this.axis} of [${s.join(', ')}] must be known`);
    const given = (v: number | readonly number[] | undefined, fill: number) => {
      if (v === undefined) return () => new Float32Array(d).fill(fill);
      const a = typeof v === 'number' ? new Array<number>(d).fill(v) : [...v];
      if (a.length !== d)
        throw new TensileError(this.name, `mean and variance need ${d} values (one per feature), got ${a.length}`);
      return () => Float32Array.from(a);
    };
    this.stats = {
      mean: this.addWeight('mean', [d], given(this.args.mean, 0), false),
      variance: this.addWeight('variance', [d], given(this.args.variance, 1), false),
      count: this.addWeight('count', [], () => new Float32Array(1), false),
    };
  }
  /** Learn mean and variance of each feature from data (rows along every axis but the feature axis). */
  adapt(data: Tensor): void {
    if (!(data instanceof Tensor) || data.rank < 1)
      throw new TensileError(`${this.name}.adapt`, 'expects a Tensor of samples');
    this.ensureBuilt([null, ...data.shape.slice(1)]);
    const a = normAxis(`${this.name}.adapt`, this.axis, data.shape);
    const axes = data.shape.map((_, i) => i).filter((i) => i !== a);
    noGrad(() => {
      const m = mean(data, { axis: axes });
      const v = mean(
        square(
          sub(
            data,
            reshape(
              m,
              data.shape.map((d, i) => (i === a ? d : 1)),
            ),
          ),
        ),
        { axis: axes },
      );
      this.stats!.mean.assign(m.dataSync());
      this.stats!.variance.assign(v.dataSync());
      this.stats!.count.assign(Float32Array.of(data.size / data.shape[a]));
    });
  }
  call(x: Tensor): Tensor {
    const a = normAxis(this.name, this.axis, x.shape);
    const shape = x.shape.map((d, i) => (i === a ? d : 1));
    const m = reshape(this.stats!.mean.value, shape),
      v = reshape(this.stats!.variance.value, shape);
    return div(sub(x, m), maximum(sqrt(v), scalar(1e-7)));
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      ...(this.args.mean !== undefined ? { mean: this.args.mean, variance: this.args.variance } : {}),
    };
  }
}
registerLayer(Normalization);
