import { TensileError } from '../errors.js';
import { gather, notEqual } from '../ops/index.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { Layer, type LayerArgs, type SymbolicShape, checkLayerArgs } from './layer.js';
import type { Regularizer } from '../regularizers/index.js';
import { type RegularizerArg, regularizerConfig, regularizersOf } from './regularized.js';
import { withMask } from './masking.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

/** Options of tl.layers.embedding. */
export interface EmbeddingArgs extends Omit<LayerArgs, 'inputDim'> {
  /** Vocabulary size: indices are integers in [0, inputDim). (Not the input shape, unlike other layers' inputDim.) */
  inputDim: number;
  /** Length of each index's vector. */
  outputDim: number;
  /** Index 0 is padding: the output carries a mask that recurrent layers honour (so inputDim counts it). */
  maskZero?: boolean;
  /** Length of the sequences, when fixed: declares the input shape [inputLength] (as a first layer). */
  inputLength?: number;
  /** The initializer of the embedding matrix. Default 'randomUniform'. */
  embeddingsInitializer?: InitializerIdentifier | Initializer;
  /** Penalties added to the loss (tl.regularizers.*); the activity one on the output, divided by the batch size. */
  embeddingsRegularizer?: RegularizerArg;
  /** Penalty on the layer's output added to the loss (divided by the batch size, as Keras 2). */
  activityRegularizer?: RegularizerArg;
}
/** The regularizer options of the layer. */
export const EMBEDDING_REGULARIZERS = ['embeddingsRegularizer', 'activityRegularizer'] as const;
const EMBEDDING_KEYS = [
  'inputDim',
  'outputDim',
  'maskZero',
  'inputLength',
  'embeddingsInitializer',
  ...EMBEDDING_REGULARIZERS,
];

/**
 * Maps integer indices to learned vectors: [batch, ...] → [batch, ..., outputDim]; the table `embeddings`
 * is [inputDim, outputDim] (Keras' weight). With maskZero, index 0 marks padding for recurrent layers.
 * @example tl.layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true, inputLength: 20 })
 */
export class Embedding extends Layer<LayerArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Embedding';
  static override readonly argKeys: readonly string[] = EMBEDDING_KEYS;
  /** The number of distinct indices (the vocabulary size). */
  readonly inputDim: number;
  /** The length of each embedding vector. */
  readonly outputDim: number;
  /** Treat index 0 as padding: later layers skip masked steps. */
  readonly maskZero: boolean;
  /** The length of the input sequences, when fixed. */
  readonly inputLength?: number;
  /** The initializer of the embedding matrix. */
  readonly embeddingsInit: Initializer;
  /** The regularizers given, by option name. */
  readonly regularizers: Partial<Record<(typeof EMBEDDING_REGULARIZERS)[number], Regularizer>>;
  private embeddings!: Variable;

  constructor(args: EmbeddingArgs) {
    checkLayerArgs('layers.embedding', args);
    const {
      inputDim,
      outputDim,
      maskZero,
      inputLength,
      embeddingsInitializer,
      embeddingsRegularizer: _e,
      activityRegularizer: _a,
      ...base
    } = args;
    // inputDim here is the vocabulary; the input shape comes from inputShape or inputLength.
    const declared =
      base.inputShape === undefined && base.batchInputShape === undefined && inputLength !== undefined
        ? { inputShape: [inputLength] }
        : {};
    super({ ...base, ...declared });
    const op = 'layers.embedding';
    if (!Number.isInteger(inputDim) || inputDim < 1)
      throw new TensileError(op, `inputDim (the vocabulary size) must be a positive integer, got ${String(inputDim)}`);
    if (!Number.isInteger(outputDim) || outputDim < 1)
      throw new TensileError(op, `outputDim must be a positive integer, got ${String(outputDim)}`);
    if (inputLength !== undefined && (!Number.isInteger(inputLength) || inputLength < 1))
      throw new TensileError(op, `inputLength must be a positive integer, got ${String(inputLength)}`);
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = maskZero ?? false;
    this.inputLength = inputLength;
    this.embeddingsInit = getInitializer(op, embeddingsInitializer ?? 'randomUniform');
    this.regularizers = regularizersOf(op, args, EMBEDDING_REGULARIZERS);
    this.activityRegularizer = this.regularizers.activityRegularizer;
  }

  override build(_inputShape: SymbolicShape): void {
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      this.embeddingsInit,
      true,
      this.regularizers.embeddingsRegularizer,
    );
  }

  call(x: Tensor): Tensor {
    if (x.rank < 1) throw new TensileError(this.name, `expected indices with a batch axis, got a scalar`);
    const d = x.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (!Number.isInteger(v) || v < 0 || v >= this.inputDim)
        throw new TensileError(
          this.name,
          `expected integer indices in [0, ${this.inputDim}) (inputDim ${this.inputDim}), got ${v} at position ${i} of input ${fmt(x.shape)}`,
        );
    }
    const out = this.withActivityPenalty(gather(this.embeddings.value, x));
    if (!this.maskZero || x.rank !== 2) return out;
    // By kernels, so that a compiled step computes each batch's mask again.
    return withMask(out, notEqual(x, 0));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      maskZero: this.maskZero,
      inputLength: this.inputLength ?? null,
      embeddingsInitializer: initializerName(this.embeddingsInit) ?? 'custom',
      ...Object.fromEntries(EMBEDDING_REGULARIZERS.map((k) => [k, regularizerConfig(this.regularizers[k])])),
    };
  }
}
registerLayer(Embedding);
