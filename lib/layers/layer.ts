import type { Constraint } from '../constraints/index.js';
import { TensileError } from '../errors.js';
import { checkKeys } from '../internal/names.js';
import { div } from '../ops/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { type Shape, checkShape, fmt, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer } from './initializers.js';
import { Variable } from './variable.js';
import { Node } from './node.js';
import { checkNotTraining } from '../internal/guard.js';
import { SymbolicTensor, isSymbolic, symbolicKwargs } from './symbolic-tensor.js';

/** A shape whose batch (first) dimension may be unknown. */
export type SymbolicShape = readonly (number | null)[];

/** Options every layer takes. */
export interface LayerArgs {
  /** Unique within a model; default: the snake_case class name with a counter (dense, dense_1, …). */
  name?: string;
  /** Whether fit updates the layer's weights (default true). */
  trainable?: boolean;
  /** Shape of one sample (without the batch axis); marks the model's first layer. */
  inputShape?: readonly number[];
  /** For 1-D samples: the same as inputShape: [inputDim]. */
  inputDim?: number;
  /** The full input shape with a batch axis (null: any batch size). */
  batchInputShape?: readonly (number | null)[];
  /** With inputShape: a fixed batch size for the batch axis (default: any). */
  batchSize?: number;
}

/** The outputs' shapes of a layer or model, and whether call returns a list. */
export interface OutputSignature {
  /** One shape per output (batch axis null). */
  shapes: SymbolicShape[];
  /** True when call returns a list (several outputs), false for one tensor. */
  isList: boolean;
}

/** The keys of LayerArgs, which every layer accepts beside its own (a class's static argKeys). */
export const LAYER_ARG_KEYS: readonly string[] = [
  'name',
  'trainable',
  'inputShape',
  'inputDim',
  'batchInputShape',
  'batchSize',
];

/** What a call knows beyond its input. */
export interface CallContext {
  /** True inside fit: dropout drops, batch norm uses batch statistics. */
  readonly training: boolean;
  /** Keyword arguments given to apply beside the inputs, e.g. { useCausalMask: true } or { mask }. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
}

/** The keyword arguments of apply: `training` (default false) and any the layer's call reads. */
export type ApplyKwargs = Readonly<Record<string, unknown>> & {
  /** Run as in training (dropout drops, batch norm uses batch statistics); default false. */
  readonly training?: boolean;
};

const nameCounters = new Map<string, number>();
function uniqueName(base: string): string {
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}
/** An explicit name (typed, or read from a file) moves the counter past it, so later default names never collide with it. */
function reserveName(name: string): void {
  const m = /^(.*)_(\d+)$/.exec(name);
  const [base, next] = m ? [m[1], Number(m[2]) + 1] : [name, 1];
  nameCounters.set(base, Math.max(nameCounters.get(base) ?? 0, next));
}

let skipInitializers = false;
/**
 * @internal Run fn with weights allocated as zeros instead of drawn from their initializers: for building
 * layers whose weights are overwritten at once (loading a saved model). Draws nothing from the seeded
 * random source, so loading a model never shifts what tl.setSeed makes reproducible.
 */
export function withoutInitializers<T>(fn: () => T): T {
  const previous = skipInitializers;
  skipInitializers = true;
  try {
    return fn();
  } finally {
    skipInitializers = previous;
  }
}
/** A value in a message, without converting it (a Symbol would throw). */
const show = (v: unknown): string =>
  typeof v === 'string'
    ? `'${v}'`
    : typeof v === 'number' || typeof v === 'boolean' || v == null
      ? String(v)
      : typeof v;

/** A layer's argument must be an options object; anything else is a TensileError naming the factory. */
export function checkLayerArgs(op: string, args: unknown): void {
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    throw new TensileError(
      op,
      `expects an options object such as { units: 10 }, got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}`,
    );
}

/** The tl.layers factory of a class: Conv2D → conv2d, LSTM → lstm, SimpleRNN → simpleRNN, BatchNormalization → batchNormalization. */
const factoryName = (className: string): string =>
  className
    .replace(/^[A-Z]+(?=[A-Z][a-z]|\d|$)/, (m) => m.toLowerCase())
    .replace(/^[A-Z]/, (m) => m.toLowerCase())
    .replace(/(\d)D(?=$|[A-Z])/, '$1d');

// Keras' to_snake_case: a digit does not start a word, so Conv2D → conv2d and MaxPooling2D → max_pooling2d.
const snake = (s: string) =>
  s
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, (m, a: string, b: string) => (/[0-9]/.test(a) ? m : `${a}_${b}`))
    .toLowerCase();

/**
 * The base of every layer: weights are created lazily by build() once the input shape is known;
 * call() computes with ops (never kernels). Subclasses set a static className for save/load.
 */
export abstract class Layer<A extends LayerArgs = LayerArgs> {
  /** The class name written to and read from saved files (Keras' class_name). */
  static readonly className: string = 'Layer';
  /** The class's own option keys beside LAYER_ARG_KEYS: when given, any other key is a TensileError with a hint. */
  static readonly argKeys?: readonly string[];
  /** The layer's name, unique within a model. */
  readonly name: string;
  /** The input shape with a batch axis this layer declares (inputShape, batchInputShape), if any. */
  readonly batchInputShape?: SymbolicShape;
  protected readonly variables: Variable[] = [];
  private _built = false;
  private _trainable: boolean;
  /** Weights with a regularizer (addWeight's), and the activity penalty of the last call. */
  private readonly penalties: [Variable, Regularizer][] = [];
  private activityPenalty: Tensor | null = null;
  /** The output's regularizer, for layers that take activityRegularizer. */
  protected activityRegularizer?: Regularizer;
  /** The input shape this layer was built for (batch axis null). */
  inputShape?: SymbolicShape;

  /** @param args the options the layer was made with (kept as given: getConfig reads them). */
  constructor(readonly args: A) {
    const className = (this.constructor as typeof Layer).className;
    const op = `layers.${factoryName(className)}`;
    checkLayerArgs(op, args);
    const own = (this.constructor as typeof Layer).argKeys;
    if (own) checkKeys(op, args, [...LAYER_ARG_KEYS, ...own]);
    if (args.name !== undefined && typeof args.name !== 'string')
      throw new TensileError(op, `name must be a string, got ${typeof args.name}`);
    this.name = args.name ?? uniqueName(snake(className));
    if (args.name !== undefined) reserveName(args.name);
    this._trainable = args.trainable ?? true;
    const batch = args.batchSize ?? null;
    if (batch !== null && !(Number.isInteger(batch) && batch >= 1))
      throw new TensileError(op, `batchSize must be a positive integer, got ${String(batch)}`);
    if (args.batchInputShape) {
      const s: unknown = args.batchInputShape;
      if (!Array.isArray(s) || s.length === 0)
        throw new TensileError(op, `batchInputShape must be a list such as [null, 784], got ${show(s)}`);
      checkShape(
        op,
        s.filter((d) => d !== null),
      );
      this.batchInputShape = [...(s as (number | null)[])];
    } else if (args.inputShape) {
      if (!Array.isArray(args.inputShape))
        throw new TensileError(op, `inputShape must be a list such as [784], got ${show(args.inputShape)}`);
      this.batchInputShape = [batch, ...checkShape(op, [...args.inputShape])];
    } else if (args.inputDim !== undefined) this.batchInputShape = [batch, ...checkShape(op, [args.inputDim])];
  }

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }
  get built(): boolean {
    return this._built;
  }
  get trainable(): boolean {
    return this._trainable;
  }
  /** Freeze (false) or unfreeze the layer's weights: frozen weights get no gradient and no update. */
  set trainable(t: boolean) {
    if (typeof t !== 'boolean') throw new TensileError(this.name, `trainable must be true or false, got ${String(t)}`);
    checkNotTraining(`${this.name}.trainable`, this);
    this._trainable = t;
    for (const v of this.variables) v.trainable = t;
  }

  /**
   * Create weights for an input shape (batch axis null), or a list of them for a layer of several inputs.
   * Layers without weights keep the default.
   */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {}
  /** The computation, with ops; a layer of several inputs takes a list, one of several outputs returns a list. */
  abstract call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[];
  /** Output shape for input shape(s) (a list for a layer of several inputs); the default keeps the (first) shape. */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return isShapeList(inputShape) ? inputShape[0] : inputShape;
  }
  /**
   * The shapes of every output, and whether call returns a list: a layer or model of several outputs
   * overrides this; the default is the one shape of computeOutputShape.
   */
  outputSignature(inputShape: SymbolicShape | SymbolicShape[]): OutputSignature {
    return { shapes: [this.computeOutputShape(inputShape)], isList: false };
  }
  /** The layer's constructor arguments in the tfjs-layers spelling, for summary and save. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  /** The calls of this layer in graphs, in order: a layer applied twice is shared (two nodes, one set of weights). */
  readonly inboundNodes: Node[] = [];

  /**
   * On tensors: build on first use, then call. On symbolic tensors (tl.input() and what apply made from them):
   * record the call as a node of the graph and return the symbolic output that tl.model() can end at. The
   * second argument holds keyword arguments: `training` (default false) and any the layer reads (ctx.kwargs).
   * A layer with several outputs gives them through applyAll.
   * @example const y = tl.layers.dense({ units: 10 }).apply(tl.input({ shape: [784] }));
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: ApplyKwargs): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], kwargs?: ApplyKwargs): Tensor;
  apply(
    inputs: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[],
    kwargs: ApplyKwargs = {},
  ): Tensor | SymbolicTensor {
    const out = this.applyAny(inputs, kwargs);
    if (Array.isArray(out)) {
      if (out.length !== 1)
        throw new TensileError(this.name, `gives ${out.length} outputs; use applyAll() to get them as a list`);
      return out[0] as Tensor | SymbolicTensor;
    }
    return out as Tensor | SymbolicTensor;
  }

  /** apply, with the outputs always as a list (for layers and models of several outputs). */
  applyAll(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: ApplyKwargs): SymbolicTensor[];
  applyAll(inputs: Tensor | readonly Tensor[], kwargs?: ApplyKwargs): Tensor[];
  applyAll(
    inputs: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[],
    kwargs: ApplyKwargs = {},
  ): Tensor[] | SymbolicTensor[] {
    const out = this.applyAny(inputs, kwargs);
    return (Array.isArray(out) ? out : [out]) as Tensor[] | SymbolicTensor[];
  }

  private applyAny(inputs: unknown, kwargs: ApplyKwargs): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (kwargs === null || typeof kwargs !== 'object' || Array.isArray(kwargs))
      throw new TensileError(
        this.name,
        `apply's second argument holds keyword arguments such as { training: true }, got ${show(kwargs)}`,
      );
    const list = Array.isArray(inputs) ? (inputs as unknown[]) : [inputs];
    if (list.length > 0 && list.every(isSymbolic))
      return this.applySymbolic(list as SymbolicTensor[], Array.isArray(inputs), kwargs);
    if (list.some(isSymbolic) || symbolicKwargs(kwargs).length > 0)
      throw new TensileError(
        this.name,
        'got symbolic tensors (from tl.input) mixed with real tensors; apply takes either all symbolic or all real inputs',
      );
    if (list.length === 0 || !list.every((x) => x instanceof Tensor))
      throw new TensileError(
        this.name,
        `expected a Tensor input${Array.isArray(inputs) ? ' list' : ''}, got ${Array.isArray(inputs) ? `[${list.map((x) => (x instanceof Tensor ? 'Tensor' : show(x))).join(', ')}]` : show(inputs)}`,
      );
    const xs = list as Tensor[];
    this.checkInput(Array.isArray(inputs) ? xs.map((x) => x.shape) : xs[0].shape);
    const shapes = xs.map((x): SymbolicShape => [null, ...x.shape.slice(1)]);
    this.ensureBuilt(Array.isArray(inputs) ? shapes : shapes[0]);
    return this.call(Array.isArray(inputs) ? xs : xs[0], contextOf(kwargs));
  }

  /** Record a call on symbolic inputs: build for their shapes, compute the output shapes, add a node. */
  private applySymbolic(xs: SymbolicTensor[], isList: boolean, kwargs: ApplyKwargs): SymbolicTensor | SymbolicTensor[] {
    const shapes = xs.map((x) => x.shape);
    const given = isList ? shapes : shapes[0];
    this.checkInput(given);
    this.ensureBuilt(given);
    const { shapes: outShapes, isList: outIsList } = this.outputSignature(given);
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((s, i) => new SymbolicTensor([...s], this, nodeIndex, i));
    this.inboundNodes.push(new Node(this, xs, isList, { ...kwargs }, outputs, outIsList));
    return outIsList ? outputs : outputs[0];
  }

  /**
   * Refuse input shapes (with the batch axis: a number for real tensors, null for symbolic ones) before the layer
   * is built for them, so that the error shows the shape that came. The default accepts any.
   */
  protected checkInput(_inputShape: SymbolicShape | SymbolicShape[]): void {}

  /** The symbolic input of the layer's only call (tl.input or another layer's output). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const n = this.onlyNode('input');
    return n.inputIsList ? [...n.inputs] : n.inputs[0];
  }
  /** The symbolic output of the layer's only call: e.g. the end of a feature extractor cut from a model. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const n = this.onlyNode('output');
    return n.outputIsList ? [...n.outputs] : n.outputs[0];
  }
  private onlyNode(what: string): Node {
    if (this.inboundNodes.length === 0)
      throw new TensileError(this.name, `has no ${what}: it has not been applied to a symbolic tensor (tl.input) yet`);
    if (this.inboundNodes.length > 1)
      throw new TensileError(
        this.name,
        `is applied ${this.inboundNodes.length} times (a shared layer), so it has no single ${what}; take it from the inbound node you mean: layer.inboundNodes[i]`,
      );
    return this.inboundNodes[0];
  }

  /** Build the layer for an input shape (or shapes) unless it is built already. */
  ensureBuilt(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this._built) return;
    this.build(inputShape);
    if (!isShapeList(inputShape)) this.inputShape = inputShape;
    this._built = true;
  }

  /** Create a weight, initialised now (seeded), trainable with the layer. */
  protected addWeight(
    name: string,
    shape: Shape,
    init: InitializerIdentifier | Initializer,
    trainable = true,
    regularizer?: Regularizer,
    constraint?: Constraint,
  ): Variable {
    checkShape(`${this.name}: weight ${name}`, shape); // e.g. units = 2 ** 31: a TensileError, not an 8 GB allocation
    const fill = getInitializer(this.name, init);
    const values = skipInitializers ? new Float32Array(sizeOf(shape)) : fill(shape);
    const v = Variable.create(`${this.name}/${name}`, shape, values, trainable && this._trainable);
    this.variables.push(v);
    if (regularizer) this.penalties.push([v, regularizer]);
    if (constraint) v.constraint = constraint;
    return v;
  }

  /** Record the activity regularizer's penalty of an output, if the layer has one (Keras 2: divided by the batch size). */
  protected withActivityPenalty(y: Tensor): Tensor {
    if (this.activityRegularizer)
      this.activityPenalty = div(this.activityRegularizer.apply(y), Math.max(y.shape[0] ?? 1, 1));
    return y;
  }

  /** The terms this layer adds to the training loss: its weights' regularizers, and its activity regularizer's of the last call. */
  regularizationLosses(): Tensor[] {
    const weights = this.penalties.map(([v, r]) => r.apply(v.value));
    return this.activityPenalty ? [...weights, this.activityPenalty] : weights;
  }
  /** Whether the layer adds anything to the loss (weight penalties or an activity regularizer). */
  get regularized(): boolean {
    return this.penalties.length > 0 || this.activityRegularizer !== undefined;
  }

  /** Every weight in Keras order (e.g. Dense: kernel, then bias). */
  get weights(): readonly Variable[] {
    return this.variables;
  }
  get trainableWeights(): Variable[] {
    return this.variables.filter((v) => v.trainable);
  }
  get nonTrainableWeights(): Variable[] {
    return this.variables.filter((v) => !v.trainable);
  }

  /** Copies of the weights' values, in Keras order. */
  getWeights(): Tensor[] {
    return this.variables.map((v) => new Tensor(v.value.data.slice(), v.shape));
  }

  /** Set every weight (Keras order), checking count and shapes. */
  setWeights(weights: readonly Tensor[]): void {
    checkNotTraining(`${this.name}.setWeights`, this, true);
    if (weights.length !== this.variables.length)
      throw new TensileError(
        `${this.name}.setWeights`,
        `expected ${this.variables.length} weights, got ${weights.length}`,
      );
    weights.forEach((w, i) => {
      const v = this.variables[i];
      if (w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j]))
        throw new TensileError(
          `${this.name}.setWeights`,
          `weight ${v.name} has shape ${fmt(v.shape)}, got ${fmt(w.shape)}`,
        );
    });
    weights.forEach((w, i) => this.variables[i].assign(w.data));
  }

  /** The number of weight values (trainable and not). */
  countParams(): number {
    return this.variables.reduce((n, v) => n + v.value.size, 0);
  }

  /** The last axis of an input shape, checked to be known. */
  protected lastDim(inputShape: SymbolicShape): number {
    const d = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || d === null || d === undefined)
      throw new TensileError(
        this.name,
        `expected an input of rank ≥ 2 with a known last dimension, got shape ${fmtSym(inputShape)}`,
      );
    return d;
  }
}

/** @internal call where one output tensor must come (a Sequential, a wrapper's inner layer). */
export function callSingle(layer: Layer, x: Tensor, ctx: CallContext): Tensor {
  const y = layer.call(x, ctx);
  if (Array.isArray(y))
    throw new TensileError(
      layer.name,
      `gives ${y.length} outputs where one tensor must flow on (a Sequential or a wrapper takes one)`,
    );
  return y;
}

/** A list of shapes (several inputs) rather than one shape. */
export const isShapeList = (s: SymbolicShape | readonly SymbolicShape[]): s is SymbolicShape[] =>
  s.length > 0 && Array.isArray(s[0]);

function contextOf(kwargs: ApplyKwargs): CallContext {
  const { training, ...rest } = kwargs;
  if (training !== undefined && typeof training !== 'boolean')
    throw new TensileError('apply', `training must be true or false, got ${show(training)}`);
  return Object.keys(rest).length > 0 ? { training: training ?? false, kwargs: rest } : { training: training ?? false };
}
/** @internal The context of a recorded call: the node's kwargs, its symbolic ones replaced by the run's tensors. */
export function nodeContext(kwargs: Readonly<Record<string, unknown>>, training: boolean): CallContext {
  const { training: fixed, ...rest } = kwargs;
  const t = typeof fixed === 'boolean' ? fixed : training;
  return Object.keys(rest).length > 0 ? { training: t, kwargs: rest } : { training: t };
}

export const fmtSym = (s: SymbolicShape): string => `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
