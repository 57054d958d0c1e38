import { TensileError } from '../errors.js';
import { DENSE_ACTIVATIONS, type DenseActivation } from '../backend/kinds.js';
import { dense, reshape } from '../ops/index.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ActivationFn, type ActivationIdentifier, getActivation } from './activations.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { type RegularizerArg, regularizerConfig, regularizersOf } from './regularized.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';
import type { Regularizer } from '../regularizers/index.js';
import { type ConstraintArg, type WeightConstraints, constraintConfig, getConstraint } from '../constraints/index.js';

/** Options of tl.layers.dense. */
export interface DenseArgs extends LayerArgs {
  /** The number of output units. */
  units: number;
  /** The activation applied to the output. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer adds a bias vector. */
  useBias?: boolean;
  /** The initializer of the kernel. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | Initializer;
  /** Penalties added to the loss (tl.regularizers.l1/l2/l1l2, or their names). */
  kernelRegularizer?: RegularizerArg;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerArg;
  /** Penalises the output (after the activation), divided by the batch size. */
  activityRegularizer?: RegularizerArg;
  /** Projects the kernel after each optimizer step (tl.constraints.maxNorm/unitNorm/nonNeg/minMaxNorm, or a name). */
  kernelConstraint?: ConstraintArg;
  /** Projects the bias after each optimizer step. */
  biasConstraint?: ConstraintArg;
}

/** The regularizer options of the layer. */
export const REGULARIZERS = ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer'] as const;

/** y = activation(x·kernel + bias) on the last axis; kernel [in, units], bias [units] (Keras order). */
export class Dense extends Layer<DenseArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Dense';
  static override readonly argKeys = [
    'units',
    'activation',
    'useBias',
    'kernelInitializer',
    'biasInitializer',
    ...REGULARIZERS,
    'kernelConstraint',
    'biasConstraint',
  ];
  /** The number of output units. */
  readonly units: number;
  /** The activation applied to the output. */
  readonly activation: {
    /** Its name, as saved ('relu', ...). */
    name: string;
    /** The function. */
    fn: ActivationFn;
  };
  /** The resolved initializers (save/load writes them into the file's config). */
  readonly kernelInit: Initializer;
  /** The initializer of the bias. */
  readonly biasInit: Initializer;
  /** The regularizers given, by option name. */
  readonly regularizers: Partial<Record<(typeof REGULARIZERS)[number], Regularizer>>;
  /** The constraints given, by weight. */
  readonly constraints: WeightConstraints;
  private kernel!: Variable;
  private bias?: Variable;

  constructor(args: DenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new TensileError('layers.dense', `units must be a positive integer, got ${String(args.units)}`);
    this.units = args.units;
    this.activation = getActivation('layers.dense', args.activation);
    this.kernelInit = getInitializer('layers.dense', args.kernelInitializer ?? 'glorotUniform');
    this.biasInit = getInitializer('layers.dense', args.biasInitializer ?? 'zeros');
    this.regularizers = regularizersOf('layers.dense', args, REGULARIZERS);
    this.activityRegularizer = this.regularizers.activityRegularizer;
    this.constraints = {
      kernel: getConstraint('layers.dense', args.kernelConstraint),
      bias: getConstraint('layers.dense', args.biasConstraint),
    };
  }

  override build(inputShape: SymbolicShape): void {
    const inDim = this.lastDim(inputShape);
    this.kernel = this.addWeight(
      'kernel',
      [inDim, this.units],
      this.kernelInit,
      true,
      this.regularizers.kernelRegularizer,
      this.constraints.kernel,
    );
    if (this.args.useBias ?? true)
      this.bias = this.addWeight(
        'bias',
        [this.units],
        this.biasInit,
        true,
        this.regularizers.biasRegularizer,
        this.constraints.bias,
      );
  }

  /** The activation to fuse with a loss (softmax or sigmoid), exposed for the training loop. */
  get activationName(): string {
    return this.activation.name;
  }

  /** x·kernel + bias, before the activation. */
  preActivation(x: Tensor): Tensor {
    return this.affine(x, 'linear');
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const fused = (DENSE_ACTIVATIONS as readonly string[]).includes(this.activation.name);
    return this.withActivityPenalty(
      fused ? this.affine(x, this.activation.name as DenseActivation) : this.activation.fn(this.affine(x, 'linear')),
    );
  }

  /** act(x·kernel + bias) on the last axis, through the fused dense op (rank > 2 is flattened to rows first). */
  private affine(x: Tensor, act: DenseActivation): Tensor {
    const inDim = this.kernel.shape[0];
    if (x.rank < 2 || x.shape[x.rank - 1] !== inDim)
      throw new TensileError(this.name, `expected input with last dimension ${inDim}, got shape ${fmt(x.shape)}`);
    if (x.rank === 2) return dense(x, this.kernel.value, this.bias?.value ?? null, act);
    // Every fused activation works row by row on the last axis, so rows of any rank can be stacked.
    const y = dense(reshape(x, [-1, inDim]), this.kernel.value, this.bias?.value ?? null, act);
    return reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      useBias: this.args.useBias ?? true,
      kernelInitializer: initializerName(this.kernelInit) ?? 'custom',
      biasInitializer: initializerName(this.biasInit) ?? 'custom',
      kernelRegularizer: regularizerConfig(this.regularizers.kernelRegularizer),
      biasRegularizer: regularizerConfig(this.regularizers.biasRegularizer),
      activityRegularizer: regularizerConfig(this.regularizers.activityRegularizer),
      kernelConstraint: constraintConfig(this.constraints.kernel),
      biasConstraint: constraintConfig(this.constraints.bias),
    };
  }
}
registerLayer(Dense);
