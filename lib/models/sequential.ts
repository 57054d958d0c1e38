import { inLayer } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { checkKeys } from '../internal/names.js';
import { Activation } from '../layers/core.js';
import { Dense } from '../layers/dense.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer, type SymbolicShape, fmtSym } from '../layers/layer.js';
import type { Variable } from '../layers/variable.js';
import { type Loss, type LossIdentifier, getLoss } from '../losses/index.js';
import { type Metric, type MetricIdentifier, getMetric } from '../metrics/index.js';
import { ACTIVATIONS } from '../layers/activations.js';
import { type Optimizer, type OptimizerIdentifier, getOptimizer } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { type SaveOptions, type SaveResult, saveModel } from '../io/save.js';
import type { History } from './callbacks.js';
import type { DataLike } from './data.js';
import { summaryText } from './summary.js';
import { type EvaluateOptions, type FitOptions, type PredictOptions, type TrainableModel, evaluate, evaluateAsync, fit, predict, predictAsync } from './training.js';

export interface CompileArgs {
  optimizer: OptimizerIdentifier | Optimizer;
  loss: LossIdentifier | Loss;
  metrics?: readonly (MetricIdentifier | Metric)[];
}

let modelCount = 0;

/**
 * A linear stack of layers, trained like Keras.
 * @example
 * const model = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [3] })] });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); await model.fit(x, y, { epochs: 10 });
 */
export class Sequential implements TrainableModel {
  readonly name: string;
  readonly layers: Layer[] = [];
  optimizer?: Optimizer;
  stopTraining = false;
  private _trainable = true;
  private compileArgs?: { loss: Loss; metricIds: readonly (MetricIdentifier | Metric)[] };
  private metrics?: Metric[];
  private inputLayer?: InputLayer;

  constructor(args: { layers?: Layer[]; name?: string } = {}) {
    this.name = args.name ?? (modelCount++ === 0 ? 'sequential' : `sequential_${modelCount - 1}`);
    for (const l of args.layers ?? []) this.add(l);
  }

  /**
   * Append a layer; it is built at once when the model's input shape is known. An InputLayer may come
   * first: it declares the input shape and, as in Keras, is not one of `model.layers`.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new TensileError('sequential.add', `expected a layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.layers.some((l) => l.name === layer.name)) throw new TensileError('sequential.add', `a layer named '${layer.name}' is already in the model; names must be unique`);
    const hasInput = this.layers.length > 0 || this.inputLayer !== undefined;
    if (hasInput && layer.batchInputShape)
      throw new TensileError('sequential.add', `only the first layer may set inputShape; '${layer.name}' sets ${fmtSym(layer.batchInputShape)}`);
    if (layer instanceof InputLayer) this.inputLayer = layer;
    else this.layers.push(layer);
    const shape = this.inputBatchShape;
    if (shape && this.layers.length > 0) this.build([null, ...shape.slice(1)]);
  }

  /** Whether fit trains the model's weights (as Keras: setting it sets every layer's trainable). */
  get trainable(): boolean {
    return this._trainable;
  }
  /** Freeze (false) or unfreeze every layer: frozen weights get no gradient and no update. @example base.trainable = false; */
  set trainable(t: boolean) {
    if (typeof t !== 'boolean') throw new TensileError(this.name, `trainable must be true or false, got ${String(t)}`);
    this._trainable = t;
    for (const l of this.layers) l.trainable = t;
  }

  /** The input shape with batch axis declared by an InputLayer or the first layer, if any. */
  get inputBatchShape(): SymbolicShape | undefined {
    return this.inputLayer?.batchInputShape ?? this.layers[0]?.batchInputShape;
  }

  /** Build every layer for an input shape (batch axis null); returns the output shape. */
  build(inputShape: SymbolicShape): SymbolicShape {
    let shape = inputShape;
    for (const l of this.layers) {
      l.ensureBuilt(shape);
      shape = l.computeOutputShape(shape);
    }
    return shape;
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  /** Set the optimizer, loss and metrics. Strings are Keras names in camelCase or snake_case. */
  compile(args: CompileArgs): void {
    if (!args || typeof args !== 'object') throw new TensileError('compile', 'expects { optimizer, loss, metrics? }');
    checkKeys('compile', args, ['optimizer', 'loss', 'metrics']);
    if (args.loss === undefined) throw new TensileError('compile', 'loss is required');
    if (args.optimizer === undefined) throw new TensileError('compile', 'optimizer is required');
    this.optimizer = getOptimizer('compile', args.optimizer);
    const loss = getLoss('compile', args.loss);
    const metricIds = args.metrics ?? [];
    if (!Array.isArray(metricIds)) throw new TensileError('compile', `metrics must be a list such as ['accuracy'], got ${typeof metricIds}`);
    for (const m of metricIds) getMetric('compile', m, loss); // validate names now
    this.compileArgs = { loss, metricIds };
    this.metrics = undefined;
  }

  /** @internal */
  compiled(op: string): { loss: Loss; metrics: Metric[]; optimizer: Optimizer } {
    if (!this.compileArgs || !this.optimizer) throw new TensileError(op, 'the model must be compiled first: call model.compile({ optimizer, loss })');
    if (!this.metrics) {
      const units = this.built ? this.outputShape()[this.outputShape().length - 1] : undefined;
      this.metrics = this.compileArgs.metricIds.map((m) => getMetric('compile', m, this.compileArgs!.loss, units ?? undefined));
    }
    return { loss: this.compileArgs.loss, metrics: this.metrics, optimizer: this.optimizer };
  }

  private outputShape(): SymbolicShape {
    let shape = this.layers[0].inputShape!;
    for (const l of this.layers) shape = l.computeOutputShape(shape);
    return shape;
  }

  /** @internal Forward pass; with `fuse`, also the pre-activation output of a matching last layer. */
  forward(x: Tensor, training: boolean, fuse?: Loss['fused']): { pred: Tensor; logits?: Tensor } {
    if (this.layers.length === 0) throw new TensileError(this.name, 'the model has no layers');
    const declared = this.inputBatchShape;
    if (declared) {
      const want = declared.slice(1);
      if (x.rank !== want.length + 1 || want.some((d, i) => d !== null && d !== x.shape[i + 1]))
        throw new TensileError((this.inputLayer ?? this.layers[0]).name, `expected input of shape ${fmtSym([null, ...want])}, got [${x.shape.join(', ')}]`);
    }
    if (!this.built) {
      this.build([null, ...x.shape.slice(1)]);
      this.metrics = undefined;
    }
    const ctx = { training };
    let h = x;
    const last = this.layers.length - 1;
    // inLayer names the layer in debug mode's NaN reports; otherwise it just calls.
    for (let i = 0; i < last; i++) {
      const l = this.layers[i];
      h = inLayer(l.name, () => l.call(h, ctx));
    }
    const out = this.layers[last];
    const input = h;
    if (fuse) {
      if (out instanceof Dense && out.activationName === fuse.activation && !out.regularized) {
        const logits = inLayer(out.name, () => out.preActivation(input));
        return { logits, pred: inLayer(out.name, () => ACTIVATIONS[fuse.activation](logits)) };
      }
      if (out instanceof Activation && out.activationName === fuse.activation) return { logits: h, pred: inLayer(out.name, () => out.call(input)) };
    }
    return { pred: inLayer(out.name, () => out.call(input, ctx)) };
  }

  /** @internal The loss and metric names given to compile (for saving optimizer state beside the model). */
  get trainingConfig(): { loss: string; metrics: string[] } | undefined {
    if (!this.compileArgs) return undefined;
    return { loss: this.compileArgs.loss.name, metrics: this.compileArgs.metricIds.map((m) => (typeof m === 'string' ? m : m.name)) };
  }

  /**
   * Write the model in the TensorFlow.js Layers format: model.json and binary weight shards, into a
   * folder; `includeOptimizer` also writes the optimizer's state so that fit can resume exactly.
   * @example await model.save('file://models/mnist'); const m = await tl.loadModel('file://models/mnist/model.json');
   */
  save(url: string, options: SaveOptions = {}): Promise<SaveResult> {
    return saveModel(this, url, options);
  }

  /** @internal */
  trainableVariables(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  /**
   * Train for a number of epochs; resolves to the History.
   * @example const h = await model.fit(x, y, { epochs: 5, batchSize: 32, validationSplit: 0.1 }); h.history.loss
   */
  fit(x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }
  /** [loss, ...metrics] over the given samples. @example const [loss, acc] = model.evaluate(x, y, { verbose: 0 }); */
  evaluate(x: DataLike, y: DataLike, options: EvaluateOptions = {}): number[] {
    return evaluate(this, x, y, options);
  }
  /**
   * evaluate without blocking the event loop: batch by batch, yielding between batches (as fit does), so a
   * server in the same process keeps answering; resolves to the same numbers as evaluate. Do not train the
   * model while it runs: each batch uses the weights of the moment.
   * @example
   * const [loss, acc] = await model.evaluateAsync(xTest, yTest, { batchSize: 256, verbose: 0 });
   */
  evaluateAsync(x: DataLike, y: DataLike, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateAsync(this, x, y, options);
  }
  /** Outputs for the given samples, in batches of `batchSize` (default 32). @example model.predict(x).argmax(-1) */
  predict(x: DataLike, options: PredictOptions = {}): Tensor {
    return predict(this, x, options);
  }
  /**
   * predict without blocking the event loop: batch by batch, yielding between batches (as fit does), so a
   * server in the same process keeps answering while a large input is scored; the output is bit-identical to
   * predict's with the same batchSize. Each pause lasts about one batch: a smaller batchSize answers sooner,
   * a larger one finishes sooner. Do not train the model while it runs: each batch uses the weights of the moment.
   * @example
   * const probs = await model.predictAsync(images, { batchSize: 256 }); // [60000, 10]; requests are served meanwhile
   */
  predictAsync(x: DataLike, options: PredictOptions = {}): Promise<Tensor> {
    return predictAsync(this, x, options);
  }

  /** Print (or pass to printFn) Keras' summary table. */
  summary(lineLength?: number, printFn: (line: string) => void = console.log): void {
    if (!this.built) throw new TensileError('summary', 'the model is not built yet: give the first layer an inputShape, or fit or predict first');
    if (lineLength !== undefined && !(Number.isInteger(lineLength) && lineLength >= 1 && lineLength <= 10_000))
      throw new TensileError('summary', `lineLength must be an integer from 1 to 10000, got ${String(lineLength)}`);
    const shapes: SymbolicShape[] = [];
    let shape = this.layers[0].inputShape!;
    for (const l of this.layers) shapes.push((shape = l.computeOutputShape(shape)));
    printFn(summaryText(this.name, this.layers, shapes, lineLength));
  }

  /** A layer by name or index. */
  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new TensileError('getLayer', `no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex}` : `named '${nameOrIndex}'`}; layers: ${this.layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** Copies of all weights, layer by layer in Keras order. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }
  setWeights(weights: readonly Tensor[]): void {
    const total = this.layers.reduce((n, l) => n + l.weights.length, 0);
    if (weights.length !== total) throw new TensileError('setWeights', `the model has ${total} weights, got ${weights.length}`);
    let i = 0;
    for (const l of this.layers) {
      l.setWeights(weights.slice(i, i + l.weights.length));
      i += l.weights.length;
    }
  }
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }
}

/** @example const model = tl.sequential(); model.add(tl.layers.dense({ units: 2, inputShape: [4] })); */
export function sequential(args: { layers?: Layer[]; name?: string } = {}): Sequential {
  return new Sequential(args);
}

