import { TensileError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import { Layer, type SymbolicShape, fmtSym } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ModelData } from './data.js';
import type { Fuse } from './execute.js';
import { LayersModel } from './model.js';
import { summaryText } from './summary.js';
import { checkNotTraining } from '../internal/guard.js';
import type { PredictOptions } from './inference.js';

export type { CompileArgs } from './losses-of-outputs.js';

/**
 * A linear stack of layers, trained like Keras: a LayersModel whose graph is a chain, grown by add() and made
 * once the input shape is known (an InputLayer, the first layer's inputShape, or the first data it sees).
 * @example
 * const model = tl.sequential({ layers: [tl.layers.dense({ units: 1, inputShape: [3] })] });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); await model.fit(x, y, { epochs: 10 });
 */
export class Sequential extends LayersModel {
  /** Keras' class name of a Sequential model. */
  static override readonly className: string = 'Sequential';
  static override readonly argKeys: readonly string[] = ['layers'];
  private readonly chain: Layer[] = [];
  private inputLayer?: InputLayer;
  /** The chain's input and its current end; `applied` layers of the chain are in the graph. */
  private chainInput?: SymbolicTensor;
  private tip?: SymbolicTensor;
  private applied = 0;

  constructor(args: { layers?: Layer[]; name?: string } = {}) {
    super(args.name !== undefined ? { name: args.name } : {});
    for (const l of args.layers ?? []) this.add(l);
  }

  /** The layers in order; as in Keras, an InputLayer given to add() is not one of them. */
  override get layers(): Layer[] {
    return this.chain;
  }

  /**
   * Append a layer; it is built at once when the model's input shape is known. An InputLayer may come
   * first: it declares the input shape and, as in Keras, is not one of `model.layers`.
   */
  add(layer: Layer): void {
    checkNotTraining('sequential.add', this);
    if (!(layer instanceof Layer))
      throw new TensileError('sequential.add', `expected a layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.chain.some((l) => l.name === layer.name))
      throw new TensileError(
        'sequential.add',
        `a layer named '${layer.name}' is already in the model; names must be unique`,
      );
    const hasInput = this.chain.length > 0 || this.inputLayer !== undefined;
    if (hasInput && layer.batchInputShape)
      throw new TensileError(
        'sequential.add',
        `only the first layer may set inputShape; '${layer.name}' sets ${fmtSym(layer.batchInputShape)}`,
      );
    if (layer instanceof InputLayer) this.inputLayer = layer;
    else this.chain.push(layer);
    const shape = this.inputBatchShape;
    if (shape && this.chain.length > 0) this.build([null, ...shape.slice(1)]);
  }

  /** The input shape with batch axis declared by an InputLayer or the first layer, if any. */
  get inputBatchShape(): SymbolicShape | undefined {
    return this.inputLayer?.batchInputShape ?? this.chain[0]?.batchInputShape;
  }

  /** Apply every layer not yet in the graph to the chain's end (batch axis null); returns the output shape. */
  override build(inputShape: SymbolicShape): SymbolicShape {
    if (this.chain.length === 0) throw new TensileError(this.name, 'the model has no layers');
    if (this.applied < this.chain.length) {
      if (!this.chainInput) {
        this.chainInput = this.inputLayer
          ? (this.inputLayer.output as SymbolicTensor)
          : (new InputLayer({ batchInputShape: [null, ...inputShape.slice(1)], name: `${this.chain[0].name}_input` })
              .output as SymbolicTensor);
        this.tip = this.chainInput;
      }
      while (this.applied < this.chain.length) {
        this.tip = this.chain[this.applied].apply(this.tip!);
        this.applied++;
      }
      this.setGraph('sequential', this.chainInput, this.tip);
      this.forgetMetrics();
    }
    return this.tip!.shape;
  }

  override get built(): boolean {
    return this.chain.length > 0 && this.chain.every((l) => l.built);
  }

  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    if (this.graph && this.applied === this.chain.length) super.checkInput(s);
  }

  /** @internal The graph's forward pass, the chain made first from x's shape when no input shape was declared. */
  override forwardAll(
    xs: readonly Tensor[],
    training: boolean,
    fuse?: readonly Fuse[],
  ): { outputs: Tensor[]; logits: (Tensor | undefined)[] } {
    if (this.chain.length === 0) throw new TensileError(this.name, 'the model has no layers');
    const x = xs[0];
    const declared = this.inputBatchShape;
    if (declared) {
      const want = declared.slice(1);
      if (xs.length !== 1 || x.rank !== want.length + 1 || want.some((d, i) => d !== null && d !== x.shape[i + 1]))
        throw new TensileError(
          (this.inputLayer ?? this.chain[0]).name,
          `expected input of shape ${fmtSym([null, ...want])}, got [${x.shape.join(', ')}]`,
        );
    }
    if (this.applied < this.chain.length) this.build([null, ...x.shape.slice(1)]);
    return super.forwardAll(xs, training, fuse);
  }

  override get inputNames(): string[] {
    return this.graph ? super.inputNames : ['input'];
  }
  override get outputNames(): string[] {
    return this.graph ? super.outputNames : [this.name];
  }

  override predict(x: ModelData, options: PredictOptions = {}): Tensor {
    return super.predict(x, options) as Tensor;
  }
  override async predictAsync(x: ModelData, options: PredictOptions = {}): Promise<Tensor> {
    return (await super.predictAsync(x, options)) as Tensor;
  }

  /** Print (or pass to printFn) Keras' summary table. */
  override summary(lineLength?: number, printFn: (line: string) => void = console.log): void {
    if (!this.built)
      throw new TensileError(
        'summary',
        'the model is not built yet: give the first layer an inputShape, or fit or predict first',
      );
    if (lineLength !== undefined && !(Number.isInteger(lineLength) && lineLength >= 1 && lineLength <= 10_000))
      throw new TensileError('summary', `lineLength must be an integer from 1 to 10000, got ${String(lineLength)}`);
    const shapes: SymbolicShape[] = [];
    let shape = this.chain[0].inputShape!;
    for (const l of this.chain) shapes.push((shape = l.computeOutputShape(shape)));
    printFn(summaryText(this.name, this.chain, shapes, lineLength));
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable };
  }
}

/** @example const model = tl.sequential(); model.add(tl.layers.dense({ units: 2, inputShape: [4] })); */
export function sequential(args: { layers?: Layer[]; name?: string } = {}): Sequential {
  return new Sequential(args);
}
