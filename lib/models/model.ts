import { TensileError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, type OutputSignature } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { Variable } from '../layers/variable.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { type SaveOptions, type SaveResult, modelWriter } from './writer.js';
import type { History } from './callbacks.js';
import type { ModelData } from './data.js';
import { type Fuse, checkInputs, runGraph } from './execute.js';
import { orderGraph } from './graph-order.js';
import { type CompileArgs, type Head, compileHeads, resolveMetrics } from './losses-of-outputs.js';
import { graphSummaryText } from './summary.js';
import { checkNotTraining } from '../internal/guard.js';
import {
  type BatchSource,
  type EvaluateDatasetOptions,
  type FitDatasetOptions,
  evaluateDataset,
  fitDataset,
} from './fit-dataset.js';
import { checkKeys } from '../internal/names.js';
import {
  type EvaluateOptions,
  type PredictOptions,
  evaluate,
  evaluateAsync,
  predict,
  predictAsync,
} from './inference.js';
import { type FitOptions, type TrainableModel, fit } from './training.js';

/** The graph a model runs: its ends and the nodes between them in running order. */
interface Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly nodes: readonly Node[];
  readonly layers: readonly Layer[];
}

/**
 * A model as a graph of layers (Keras' functional Model, tfjs' LayersModel): it runs the calls recorded between
 * its inputs and outputs, trains with compile/fit, and is itself a layer, so it can be applied inside another
 * model (its weights shared). Sequential is the special case of a chain.
 */
export class LayersModel extends Layer implements TrainableModel {
  /** Keras' class name of a functional model. */
  static override readonly className: string = 'Model';
  static override readonly argKeys: readonly string[] = ['inputs', 'outputs'];
  /** The optimizer given to compile (or restored by loadModel with its state). */
  optimizer?: Optimizer;
  stopTraining = false;
  protected graph?: Graph;
  private compileState?: { heads: Head[]; metrics?: Metric[][] };

  constructor(
    args: LayerArgs & {
      inputs?: SymbolicTensor | readonly SymbolicTensor[];
      outputs?: SymbolicTensor | readonly SymbolicTensor[];
    } = {},
  ) {
    const { inputs, outputs, ...layerArgs } = args;
    super(layerArgs);
    if (inputs !== undefined || outputs !== undefined) this.setGraph('model', inputs, outputs);
  }

  /** Order and check the graph between inputs and outputs; on error nothing of the model changes. */
  protected setGraph(op: string, inputs: unknown, outputs: unknown): void {
    if (inputs === undefined || outputs === undefined)
      throw new TensileError(op, 'needs both inputs and outputs: tl.model({ inputs, outputs })');
    const ins = (Array.isArray(inputs) ? inputs : [inputs]) as SymbolicTensor[];
    const outs = (Array.isArray(outputs) ? outputs : [outputs]) as SymbolicTensor[];
    const order = orderGraph(op, ins, outs);
    const names = order.layers.map((l) => l.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup)
      throw new TensileError(op, `two layers of the graph are named '${dup}'; layer names in a model must be unique`);
    this.graph = { inputs: ins, outputs: outs, nodes: order.nodes, layers: order.layers };
    this.singleInput = !Array.isArray(inputs);
    this.singleOutput = !Array.isArray(outputs);
    this.compileState = this.compileState && { heads: this.compileState.heads };
    this.ensureBuilt(ins.length === 1 && this.singleInput ? ins[0].shape : ins.map((x) => x.shape));
  }
  /** Whether inputs/outputs were given as one tensor (call and apply then take and give one). */
  private singleInput = true;
  private singleOutput = true;

  protected graphOf(op: string): Graph {
    if (!this.graph)
      throw new TensileError(
        op,
        `the model '${this.name}' has no graph yet: give its first layer an inputShape, or fit or predict first`,
      );
    return this.graph;
  }

  /** The symbolic inputs (tl.input tensors), in order. */
  get inputs(): SymbolicTensor[] {
    return [...this.graphOf('inputs').inputs];
  }
  /** The symbolic outputs, in order. */
  get outputs(): SymbolicTensor[] {
    return [...this.graphOf('outputs').outputs];
  }
  /** Every layer of the graph, the InputLayers first (Keras order). */
  get layers(): Layer[] {
    return this.graph ? [...this.graph.layers] : [];
  }
  get inputNames(): string[] {
    return this.graphOf('inputNames').inputs.map((x) => x.sourceLayer.name);
  }
  get outputNames(): string[] {
    return this.graphOf('outputNames').outputs.map((y) => y.sourceLayer.name);
  }

  /** A layer by name or index. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const l = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((x) => x.name === nameOrIndex);
    if (!l)
      throw new TensileError(
        'getLayer',
        `no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex}` : `named '${nameOrIndex}'`}; layers: ${layers.map((x) => x.name).join(', ')}`,
      );
    return l;
  }

  // ---- the model as a layer ------------------------------------------------------------------------
  override call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const { outputs } = this.forwardAll(xs, ctx.training);
    return this.singleOutput ? outputs[0] : outputs;
  }
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.outputSignature(inputShape).shapes[0];
  }
  override outputSignature(_inputShape: SymbolicShape | SymbolicShape[]): OutputSignature {
    const g = this.graphOf(this.name);
    return { shapes: g.outputs.map((y) => [null, ...y.shape.slice(1)]), isList: !this.singleOutput };
  }
  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    const g = this.graphOf(this.name);
    const given = Array.isArray(s[0]) ? (s as SymbolicShape[]) : [s as SymbolicShape];
    if (given.length !== g.inputs.length)
      throw new TensileError(
        this.name,
        `takes ${g.inputs.length} inputs (${this.inputNames.join(', ')}), got ${given.length}`,
      );
    given.forEach((shape, i) => {
      const want = g.inputs[i].shape;
      if (
        shape.length !== want.length ||
        want.some((d, j) => j > 0 && d !== null && shape[j] !== null && d !== shape[j])
      )
        throw new TensileError(
          g.inputs[i].sourceLayer.name,
          `expected input of shape [${want.map(String).join(', ')}], got [${shape.map(String).join(', ')}]`,
        );
    });
  }

  /** @internal Run the graph: inputs in model order; fusable losses (one an output) also give those outputs' logits. */
  forwardAll(
    xs: readonly Tensor[],
    training: boolean,
    fuse?: readonly Fuse[],
  ): { outputs: Tensor[]; logits: (Tensor | undefined)[] } {
    const g = this.graphOf(this.name);
    checkInputs(g.inputs, xs, this.name);
    return runGraph(g.nodes, g.inputs, g.outputs, xs, training, fuse);
  }

  /** @internal Forward pass of a model of one input and one output; with `fuse`, the output's logits too. */
  forward(x: Tensor, training: boolean, fuse?: Loss['fused']): { pred: Tensor; logits?: Tensor } {
    const { outputs, logits } = this.forwardAll([x], training, [fuse]);
    if (outputs.length !== 1) throw new TensileError(this.name, `has ${outputs.length} outputs; use forwardAll`);
    return logits[0] ? { pred: outputs[0], logits: logits[0] } : { pred: outputs[0] };
  }

  // ---- weights ---------------------------------------------------------------------------------------
  override get weights(): readonly Variable[] {
    return [...new Set(this.layers.flatMap((l) => [...l.weights]))];
  }
  override get trainableWeights(): Variable[] {
    return this.weights.filter((v) => v.trainable);
  }
  override get nonTrainableWeights(): Variable[] {
    return this.weights.filter((v) => !v.trainable);
  }
  override get trainable(): boolean {
    return super.trainable;
  }
  /** Freeze (false) or unfreeze every layer of the model. */
  override set trainable(t: boolean) {
    super.trainable = t;
    for (const l of this.layers) l.trainable = t;
  }
  /** @internal */
  trainableVariables(): Variable[] {
    return this.trainableWeights;
  }
  /** Copies of all weights, layer by layer in Keras order. */
  override getWeights(): Tensor[] {
    return this.weights.map((v) => new Tensor(v.value.dataSync().slice(), v.shape));
  }
  override setWeights(weights: readonly Tensor[]): void {
    checkNotTraining('setWeights', this, true);
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length)
      throw new TensileError(
        'setWeights',
        `the model has ${vars.length} weights, got ${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    vars.forEach((v, i) => {
      const w = weights[i];
      if (!(w instanceof Tensor) || w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j]))
        throw new TensileError(
          'setWeights',
          `weight ${v.name} has shape [${v.shape.join(', ')}], got ${w instanceof Tensor ? `[${w.shape.join(', ')}]` : typeof w}`,
        );
    });
    vars.forEach((v, i) => v.assign(weights[i].dataSync()));
  }
  /** The number of weight values of every layer (trainable and not). */
  override countParams(): number {
    return this.weights.reduce((n, v) => n + v.value.size, 0);
  }

  // ---- training ----------------------------------------------------------------------------------------
  /**
   * Set the optimizer, loss(es) and metrics. For several outputs, loss, metrics and lossWeights may be one for all,
   * a list (one per output) or an object keyed by output name; strings are Keras names in camelCase or snake_case.
   * @example model.compile({ optimizer: 'adam', loss: { digit: 'categoricalCrossentropy', parity: 'binaryCrossentropy' }, metrics: ['accuracy'] });
   */
  compile(args: CompileArgs): void {
    checkNotTraining('compile', this);
    if (args && typeof args === 'object') checkKeys('compile', args, ['optimizer', 'loss', 'metrics', 'lossWeights']);
    const names = this.graph ? this.outputNames : [this.name];
    const { optimizer, heads } = compileHeads(args, names);
    this.optimizer = optimizer;
    this.compileState = { heads };
  }

  /** @internal */
  compiled(op: string): {
    loss: Loss;
    metrics: Metric[];
    optimizer: Optimizer;
    heads: readonly Head[];
    headMetrics: Metric[][];
  } {
    if (!this.compileState || !this.optimizer)
      throw new TensileError(op, 'the model must be compiled first: call model.compile({ optimizer, loss })');
    const state = this.compileState;
    if (!state.metrics) {
      const units = this.graph ? this.graph.outputs.map((y) => y.shape[y.shape.length - 1] ?? undefined) : [];
      state.metrics = resolveMetrics(state.heads, units);
      // A model compiled before its graph existed (a Sequential without inputShape) names its one output now.
      if (this.graph && state.heads.length === 1) state.heads = [{ ...state.heads[0], name: this.outputNames[0] }];
    }
    return {
      loss: state.heads[0].loss,
      metrics: state.metrics[0],
      optimizer: this.optimizer,
      heads: state.heads,
      headMetrics: state.metrics,
    };
  }
  /** @internal Metrics resolve again (by output width) when the graph changes. */
  protected forgetMetrics(): void {
    if (this.compileState) this.compileState = { heads: this.compileState.heads };
  }

  /** @internal The loss and metric names given to compile (saved with the optimizer state). */
  get trainingConfig(): { loss: string; metrics: string[] } | undefined {
    if (!this.compileState) return undefined;
    const h = this.compileState.heads[0];
    return { loss: h.loss.name, metrics: h.metricIds.map((m) => (typeof m === 'string' ? m : m.name)) };
  }

  /**
   * Train for a number of epochs; resolves to the History. x and y: one tensor each for one input/output, else
   * a list in model order or an object keyed by input/output name.
   * @example const h = await model.fit([xa, xb], { digit: y1, parity: y2 }, { epochs: 5 }); h.history.digit_loss
   */
  fit(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }
  /**
   * Train on a dataset of batches (tl.data), read as training goes: data larger than memory streams through.
   * Models of one input and one output.
   * @example const h = await model.fitDataset(tl.data.csv('big.csv', cfg).map(toXy).batch(64), { epochs: 3 });
   */
  fitDataset(dataset: BatchSource, options: FitDatasetOptions = {}): Promise<History> {
    return fitDataset(this, dataset, options);
  }
  /** [loss, ...metrics] over a dataset of batches. @example const [loss, acc] = await model.evaluateDataset(testDs); */
  evaluateDataset(dataset: BatchSource, options: EvaluateDatasetOptions = {}): Promise<number[]> {
    return evaluateDataset(this, dataset, options);
  }
  /** [loss, ...per-output losses (several outputs), ...metrics] over the given samples. */
  evaluate(x: ModelData, y: ModelData, options: EvaluateOptions = {}): number[] {
    return evaluate(this, x, y, options);
  }
  /** evaluate without blocking the event loop: batch by batch, yielding between batches; the same numbers. */
  evaluateAsync(x: ModelData, y: ModelData, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateAsync(this, x, y, options);
  }
  /**
   * Outputs for the given samples, in batches of `batchSize` (default 32): a tensor, or a list of them for a
   * model of several outputs. @example const [digit, parity] = model.predict([xa, xb]) as tl.Tensor[];
   */
  predict(x: ModelData, options: PredictOptions = {}): Tensor | Tensor[] {
    const out = predict(this, x, options);
    return this.singleOutput ? out[0] : out;
  }
  /** predict without blocking the event loop: batch by batch, yielding between batches; bit-identical outputs. */
  async predictAsync(x: ModelData, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
    const out = await predictAsync(this, x, options);
    return this.singleOutput ? out[0] : out;
  }

  // ---- files and display ---------------------------------------------------------------------------
  /**
   * Write the model in the TensorFlow.js Layers format (model.json + weight shards) into a folder.
   * @example await model.save('file://models/resnet'); const m = await tl.loadModel('file://models/resnet');
   */
  save(url: string, options: SaveOptions = {}): Promise<SaveResult> {
    return modelWriter()(this, url, options);
  }

  /** Print (or pass to printFn) Keras' summary table, with the calls each layer takes from ("Connected to"). */
  summary(lineLength?: number, printFn: (line: string) => void = console.log): void {
    if (lineLength !== undefined && !(Number.isInteger(lineLength) && lineLength >= 1 && lineLength <= 10_000))
      throw new TensileError('summary', `lineLength must be an integer from 1 to 10000, got ${String(lineLength)}`);
    const g = this.graphOf('summary');
    printFn(
      graphSummaryText(
        this.name,
        g.layers,
        new Set(g.nodes.concat(g.inputs.map((x) => x.sourceLayer.inboundNodes[0]))),
        this.trainableWeights,
        this.weights,
        lineLength,
      ),
    );
  }

  /** A model's config holds its graph; saving writes it through io/ (functional-config.ts). */
  override getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }
}

/** True when l is a model (a LayersModel or Sequential), for code that must treat nested models apart. */
export const isModel = (l: unknown): l is LayersModel => l instanceof LayersModel;

/** The InputLayers of a graph (for code that walks a model's layers). */
export const inputLayersOf = (m: LayersModel): InputLayer[] =>
  m.layers.filter((l): l is InputLayer => l instanceof InputLayer);

/**
 * A model from the graph between symbolic inputs and outputs: one or several of each.
 * @example
 * const x = tl.input({ shape: [784] });
 * const h = tl.layers.dense({ units: 64, activation: 'relu' }).apply(x);
 * const model = tl.model({ inputs: x, outputs: tl.layers.dense({ units: 10, activation: 'softmax' }).apply(h) });
 */
export function model(args: {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}): LayersModel {
  if (args === null || typeof args !== 'object') throw new TensileError('model', 'expects { inputs, outputs, name? }');
  return new LayersModel(args);
}
