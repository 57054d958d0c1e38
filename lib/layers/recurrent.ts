import { RNN_ACTIVATIONS, type RnnActivation } from '../backend/kinds.js';
import { TensileError } from '../errors.js';
import { lookup, unknownName } from '../internal/names.js';
import { mul, recurrent, reshape, slice } from '../ops/index.js';
import { dropoutMask } from '../ops/state.js';
import type { RecurrentOptions, RnnCellKind } from '../ops/recurrent.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, fmtSym, isShapeList } from './layer.js';
import { maskOf, withMask } from './masking.js';
import type { Variable } from './variable.js';
import { type RegularizerArg, regularizerConfig, regularizersOf } from './regularized.js';
import type { Regularizer } from '../regularizers/index.js';

/** The options every recurrent layer shares (Keras' names, in the tfjs-layers spelling). */
export interface RecurrentArgs extends LayerArgs {
  /** The number of output units. */
  units: number;
  /** Candidate and output activation (default tanh): linear, relu, sigmoid, tanh or hardSigmoid. */
  activation?: RnnActivation | 'hard_sigmoid' | null;
  /** Gate activation (LSTM, GRU; default sigmoid, as Keras 2+, not tfjs' hardSigmoid). */
  recurrentActivation?: RnnActivation | 'hard_sigmoid' | null;
  /** Whether the layer adds a bias vector. */
  useBias?: boolean;
  /** Output every step's h ([batch, time, units]), else the last ([batch, units]). */
  returnSequences?: boolean;
  /** applyWithState also returns the final states (h, and c for LSTM). */
  returnState?: boolean;
  /** Process the sequence from its last step to its first. */
  goBackwards?: boolean;
  /** The initializer of the kernel. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the recurrent kernel. Default 'orthogonal'. */
  recurrentInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the bias. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | Initializer;
  /** Fraction of the input's features dropped in training (one mask per sequence, as Keras). */
  dropout?: number;
  /** Fraction of h_{t−1}'s units dropped before the recurrent product in training (one mask per sequence). */
  recurrentDropout?: number;
  /** Not supported: tensile starts every batch from zero states. */
  stateful?: boolean;
  /** Accepted and ignored: the loop is always fused. */
  unroll?: boolean;
  /** Accepted and ignored (tfjs' and Keras' choice of how to compute the same math). */
  implementation?: number;
  /** Penalties added to the loss (tl.regularizers.*); the activity one on the output, divided by the batch size. */
  kernelRegularizer?: RegularizerArg;
  /** Penalty on the recurrent kernel added to the loss. */
  recurrentRegularizer?: RegularizerArg;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerArg;
  /** Penalty on the layer's output added to the loss (divided by the batch size, as Keras 2). */
  activityRegularizer?: RegularizerArg;
}

/** The regularizer options of the layer. */
export const RNN_REGULARIZERS = [
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'activityRegularizer',
] as const;
/** The option keys every recurrent layer takes (a cell class adds its own). */
export const RECURRENT_ARG_KEYS: readonly string[] = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'returnSequences',
  'returnState',
  'goBackwards',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'dropout',
  'recurrentDropout',
  'stateful',
  'unroll',
  'implementation',
  ...RNN_REGULARIZERS,
];

const ACTIVATION_BY_NAME = Object.fromEntries(RNN_ACTIVATIONS.map((a) => [a, a])) as Record<string, RnnActivation>;

function rnnActivation(op: string, name: string | null | undefined, fallback: RnnActivation): RnnActivation {
  if (name === undefined) return fallback;
  if (name === null) return 'linear';
  const a = lookup(ACTIVATION_BY_NAME, name);
  if (!a)
    throw new TensileError(
      op,
      `${unknownName('activation', name, [...RNN_ACTIVATIONS])} (the activations a recurrent cell fuses)`,
    );
  return a;
}

function fraction(op: string, key: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1))
    throw new TensileError(op, `${key} must be a number in [0, 1), got ${String(v)}`);
  return v;
}

/** A boolean option (a truthy number would mean one thing to the op and another to shape inference). */
function flag(op: string, key: string, v: boolean | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean')
    throw new TensileError(op, `${key} must be true or false, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  return v;
}

const FACTORY: Readonly<Record<string, string>> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'simpleRNN' };

/**
 * The base of SimpleRNN, LSTM and GRU: Keras' weights (kernel [features, g·units], recurrent_kernel
 * [units, g·units], bias) and options, run as one fused recurrent op (lib/ops/recurrent.ts).
 */
export abstract class RecurrentLayer<A extends RecurrentArgs = RecurrentArgs> extends Layer<A> {
  protected abstract readonly cell: RnnCellKind;
  /** Gate blocks: LSTM 4, GRU 3, SimpleRNN 1. */
  protected abstract readonly gates: number;
  /** The number of output units. */
  readonly units: number;
  /** The activation applied to the output. */
  readonly activation: RnnActivation;
  /** The activation of the gates. Default 'sigmoid' (as Keras 2+). */
  readonly recurrentActivation: RnnActivation;
  /** Whether the layer adds a bias vector. */
  readonly useBias: boolean;
  /** Return the output of every time step, not only the last. */
  readonly returnSequences: boolean;
  /** Also return the last state(s) after the output. */
  readonly returnState: boolean;
  /** Process the sequence in reverse order. */
  readonly goBackwards: boolean;
  /** Fraction of the input units dropped in training. */
  readonly dropout: number;
  /** Fraction of the recurrent state units dropped in training. */
  readonly recurrentDropout: number;
  /** The initializer of the kernel. */
  readonly kernelInit: Initializer;
  /** The initializer of the recurrent kernel. */
  readonly recurrentInit: Initializer;
  /** The initializer of the bias. */
  readonly biasInit: Initializer;
  /** The regularizers given, by option name. */
  readonly regularizers: Partial<Record<(typeof RNN_REGULARIZERS)[number], Regularizer>>;
  protected kernel!: Variable;
  protected recurrentKernel!: Variable;
  protected bias?: Variable;

  constructor(args: A, defaults: { recurrentActivation: RnnActivation }) {
    super(args);
    const op = this.opName;
    if (!Number.isInteger(args.units) || args.units < 1)
      throw new TensileError(op, `units must be a positive integer, got ${String(args.units)}`);
    if (args.stateful) throw new TensileError(op, 'stateful is not supported: every batch starts from zero states');
    this.units = args.units;
    this.activation = rnnActivation(op, args.activation, 'tanh');
    this.recurrentActivation = rnnActivation(op, args.recurrentActivation, defaults.recurrentActivation);
    this.useBias = flag(op, 'useBias', args.useBias, true);
    this.returnSequences = flag(op, 'returnSequences', args.returnSequences, false);
    this.returnState = flag(op, 'returnState', args.returnState, false);
    this.goBackwards = flag(op, 'goBackwards', args.goBackwards, false);
    this.dropout = fraction(op, 'dropout', args.dropout);
    this.recurrentDropout = fraction(op, 'recurrentDropout', args.recurrentDropout);
    this.kernelInit = getInitializer(op, args.kernelInitializer ?? 'glorotUniform');
    this.recurrentInit = getInitializer(op, args.recurrentInitializer ?? 'orthogonal');
    this.biasInit = getInitializer(op, args.biasInitializer ?? 'zeros');
    this.regularizers = regularizersOf(op, args, RNN_REGULARIZERS);
    this.activityRegularizer = this.regularizers.activityRegularizer;
  }

  /** 'layers.lstm' etc., for constructor errors. */
  protected get opName(): string {
    return `layers.${FACTORY[this.className] ?? this.className}`;
  }

  /** Options of the recurrent op that a cell adds (GRU's resetAfter). */
  protected cellOptions(): Partial<RecurrentOptions> {
    return {};
  }

  /** The bias' shape and initial values (LSTM's unit forget bias, GRU's two rows). */
  protected abstract biasShape(): number[];
  protected initialBias(shape: number[]): Initializer | InitializerIdentifier {
    void shape;
    return this.biasInit;
  }

  override build(inputShape: SymbolicShape): void {
    if (inputShape.length !== 3)
      throw new TensileError(
        this.name,
        `expected input of shape [batch, timesteps, features], got ${fmtSym(inputShape)}`,
      );
    const features = this.lastDim(inputShape);
    const gu = this.gates * this.units;
    const r = this.regularizers;
    this.kernel = this.addWeight('kernel', [features, gu], this.kernelInit, true, r.kernelRegularizer);
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [this.units, gu],
      this.recurrentInit,
      true,
      r.recurrentRegularizer,
    );
    if (this.useBias) {
      const shape = this.biasShape();
      this.bias = this.addWeight('bias', shape, this.initialBias(shape), true, r.biasRegularizer);
    }
  }

  /** Checks the rank before building, so that the error shows the shape that came. */
  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    if (isShapeList(s) || s.length !== 3)
      throw new TensileError(
        this.name,
        `expected input of shape [batch, timesteps, features], got ${isShapeList(s) ? `a list of ${s.length} inputs` : fmtSym(s)}`,
      );
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    return this.run(x, ctx)[0];
  }

  /**
   * The output and the final states: [output, h] (SimpleRNN, GRU) or [output, h, c] (LSTM), as Keras returns
   * with return_state. (In a Sequential only the output flows on.)
   * @example const [seq, h, c] = tl.layers.lstm({ units: 8, returnSequences: true, returnState: true }).applyWithState(x);
   */
  applyWithState(x: Tensor, ctx: CallContext = { training: false }): Tensor[] {
    if (!(x instanceof Tensor)) throw new TensileError(this.name, `expected a Tensor input, got ${typeof x}`);
    if (x.rank !== 3)
      throw new TensileError(this.name, `expected input of shape [batch, timesteps, features], got ${fmt(x.shape)}`);
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    return this.run(x, ctx);
  }

  private run(x: Tensor, ctx: CallContext): Tensor[] {
    const features = this.kernel.shape[0];
    if (x.rank !== 3 || x.shape[2] !== features)
      throw new TensileError(this.name, `expected input of shape [batch, timesteps, ${features}], got ${fmt(x.shape)}`);
    const [B, T] = x.shape;
    const U = this.units;
    const mask = maskOf(x);
    let input = x;
    if (ctx.training && this.dropout > 0)
      input = mul(x, new Tensor(dropoutMask(B * features, this.dropout), [B, 1, features]));
    const recurrentMask = ctx.training && this.recurrentDropout > 0 ? dropoutMask(B * U, this.recurrentDropout) : null;
    const withCell = this.returnState && this.cell === 'lstm';
    const out = recurrent(input, this.kernel.value, this.recurrentKernel.value, this.bias?.value ?? null, {
      cell: this.cell,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      returnSequences: this.returnSequences,
      returnCellState: withCell,
      goBackwards: this.goBackwards,
      mask,
      recurrentMask,
      ...this.cellOptions(),
    });
    const steps = this.returnSequences ? T : 1;
    const at = (s: number) => reshape(slice(out, [0, s, 0], [B, 1, U]), [B, U]);
    const output = this.withActivityPenalty(
      this.returnSequences
        ? withMask(withCell ? slice(out, [0, 0, 0], [B, T, U]) : out, mask)
        : withCell
          ? at(0)
          : reshape(out, [B, U]),
    );
    if (!this.returnState) return [output];
    const h = this.returnSequences ? at(T - 1) : output;
    return withCell ? [output, h, at(steps)] : [output, h];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      kernelInitializer: initializerName(this.kernelInit) ?? 'custom',
      recurrentInitializer: initializerName(this.recurrentInit) ?? 'custom',
      biasInitializer: initializerName(this.biasInit) ?? 'custom',
      ...Object.fromEntries(RNN_REGULARIZERS.map((k) => [k, regularizerConfig(this.regularizers[k])])),
    };
  }
}
