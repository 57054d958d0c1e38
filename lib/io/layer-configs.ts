import type { Dropout } from '../layers/core.js';
import type { Conv1D, Conv2D } from '../layers/conv.js';
import type { DepthwiseConv2D, SeparableConv2D } from '../layers/conv-depthwise.js';
import type { BatchNormalization } from '../layers/normalization.js';
import type { Dense } from '../layers/dense.js';
import type { Embedding } from '../layers/embedding.js';
import type { LayerNormalization } from '../layers/layer-normalization.js';
import type { PReLU } from '../layers/advanced-activations.js';
import type { MultiHeadAttention } from '../layers/multi-head-attention.js';
import type { RecurrentLayer } from '../layers/recurrent.js';
import type { Bidirectional, TimeDistributed } from '../layers/wrappers.js';
import type { Initializer } from '../layers/initializers.js';
import type { Layer } from '../layers/layer.js';
import { layerClass } from '../layers/registry.js';
import { isRecord, show } from './format.js';
import { readInitializer, writeInitializer, writeNamedInitializer } from './initializer-config.js';
import { problem } from './problem.js';
// The codec reads a wrapped layer's entry from this table; this table reads wrapped layers through the codec.
import { readLayer, withoutBatchShape, writeLayer } from './layer-codec.js';
import { regularizer } from './regularizer-config.js';
import { constraint } from './constraint-config.js';
import {
  type ValueCodec,
  activation,
  asIs,
  boolean,
  integer,
  integerList,
  integerOrList,
  number,
  oneOf,
} from './values.js';

// The per-class translation between a layer's Keras config (snake_case keys, as Keras and tfjs-layers
// write them) and its constructor arguments (camelCase, the tfjs-layers dialect). Making a new layer
// class loadable: registerLayer(Cls) in its own file, and one entry in LAYER_SPECS below.

export interface Field {
  codec: ValueCodec;
  /** The constructor argument; default: the key in camelCase (use_bias → useBias). */
  arg?: string;
  /** The value to write, when the layer's getConfig() does not hold it as the file needs it. */
  get?: (layer: Layer) => unknown;
}

export interface LayerSpec {
  /** Keys the class reads, each with its value codec. */
  fields: Readonly<Record<string, Field | ValueCodec>>;
  /** Keys whose other values would change what the layer computes: only these values load (the first is written). */
  only?: Readonly<Record<string, readonly unknown[]>>;
  /** Keys that matter only in training (regularizers, constraints): a value is ignored with a warning; null is written. */
  trainingOnly?: readonly string[];
  /** dtypes accepted (default float32 only); when given, the dtype is passed to the constructor. */
  dtypes?: readonly string[];
  /** Every other key is passed through in camelCase, its value as it is (classes registered without an entry). */
  passThrough?: boolean;
}

/** An initializer key; a function written by the user cannot be serialised, so its layer's default is written instead. */
const initializer = (fallback: string, get: (l: Layer) => Initializer): Field => ({
  codec: {
    read: readInitializer,
    write: (init) => {
      const config = writeInitializer(init as Initializer);
      if (config) return config;
      process.emitWarning(
        `save: a custom initializer function cannot be written to the file; it is recorded as '${fallback}' (the weights themselves are saved)`,
      );
      return writeNamedInitializer(fallback);
    },
  },
  get,
});

// Regularizers and Dense/Conv constraints are read and written (they change training); the constraints of other
// layers are not implemented: read and ignored with a warning.
const REGULARIZED = ['kernel_constraint', 'bias_constraint'];
const CONSTRAINTS = { kernel_constraint: constraint, bias_constraint: constraint };
const REGULARIZERS = {
  kernel_regularizer: regularizer,
  bias_regularizer: regularizer,
  activity_regularizer: regularizer,
};

const padding = oneOf('valid', 'same');
const CHANNELS_LAST = { data_format: ['channels_last', null] } as const;
const conv: LayerSpec = {
  fields: {
    filters: integer,
    kernel_size: integerOrList,
    strides: integerOrList,
    padding,
    dilation_rate: integerOrList,
    activation,
    use_bias: boolean,
    kernel_initializer: initializer('glorotUniform', (l) => (l as Conv2D | Conv1D).kernelInit),
    bias_initializer: initializer('zeros', (l) => (l as Conv2D | Conv1D).biasInit),
    ...REGULARIZERS,
    ...CONSTRAINTS,
  },
  only: { ...CHANNELS_LAST, groups: [1, null] },
};
const depthwiseConv: LayerSpec = {
  fields: {
    kernel_size: integerOrList,
    strides: integerOrList,
    padding,
    depth_multiplier: integer,
    dilation_rate: integerOrList,
    activation,
    use_bias: boolean,
    depthwise_initializer: initializer('glorotUniform', (l) => (l as DepthwiseConv2D).depthwiseInit),
    bias_initializer: initializer('zeros', (l) => (l as DepthwiseConv2D).biasInit),
  },
  trainingOnly: [...REGULARIZED, ...Object.keys(REGULARIZERS), 'depthwise_regularizer', 'depthwise_constraint'],
  only: CHANNELS_LAST,
};
const separableConv: LayerSpec = {
  fields: {
    filters: integer,
    kernel_size: integerOrList,
    strides: integerOrList,
    padding,
    depth_multiplier: integer,
    dilation_rate: integerOrList,
    activation,
    use_bias: boolean,
    depthwise_initializer: initializer('glorotUniform', (l) => (l as SeparableConv2D).depthwiseInit),
    pointwise_initializer: initializer('glorotUniform', (l) => (l as SeparableConv2D).pointwiseInit),
    bias_initializer: initializer('zeros', (l) => (l as SeparableConv2D).biasInit),
  },
  trainingOnly: [
    ...REGULARIZED,
    ...Object.keys(REGULARIZERS),
    'depthwise_regularizer',
    'depthwise_constraint',
    'pointwise_regularizer',
    'pointwise_constraint',
  ],
  only: CHANNELS_LAST,
};
const pooling: LayerSpec = {
  fields: { pool_size: integerOrList, strides: integerOrList, padding },
  only: CHANNELS_LAST,
};
const globalPooling: LayerSpec = { fields: {}, only: { ...CHANNELS_LAST, keepdims: [false, null] } };

// Recurrent layers: activations are the ones a cell fuses (Keras 2's and tfjs' 'hard_sigmoid' included);
// 'implementation' and 'unroll' choose how Keras computes the same math: read and ignored, written as Keras' defaults.
const RNN_ACTIVATION_FILE: Readonly<Record<string, string>> = {
  hard_sigmoid: 'hardSigmoid',
  hardSigmoid: 'hardSigmoid',
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
};
const rnnActivation: ValueCodec = {
  read(v) {
    const name = v !== null && typeof v === 'object' && 'config' in v && typeof v.config === 'string' ? v.config : v;
    if (name === null || name === undefined) return 'linear';
    const a = typeof name === 'string' ? RNN_ACTIVATION_FILE[name] : undefined;
    return (
      a ??
      problem(
        `activation ${show(name)} is not supported in a recurrent cell; supported: linear, relu, sigmoid, tanh, hard_sigmoid`,
      )
    );
  },
  write: (v) => (v === 'hardSigmoid' ? 'hard_sigmoid' : v),
};
const written = (value: unknown): Field => ({ codec: { read: () => undefined, write: () => value }, get: () => value });
const recurrentSpec = (
  extra: Record<string, Field | ValueCodec>,
  only: Record<string, readonly unknown[]> = {},
): LayerSpec => ({
  fields: {
    units: integer,
    activation: rnnActivation,
    use_bias: boolean,
    return_sequences: boolean,
    return_state: boolean,
    go_backwards: boolean,
    dropout: number,
    recurrent_dropout: number,
    kernel_initializer: initializer('glorotUniform', (l) => (l as RecurrentLayer).kernelInit),
    recurrent_initializer: initializer('orthogonal', (l) => (l as RecurrentLayer).recurrentInit),
    bias_initializer: initializer('zeros', (l) => (l as RecurrentLayer).biasInit),
    implementation: written(2),
    unroll: written(false),
    ...REGULARIZERS,
    recurrent_regularizer: regularizer,
    ...extra,
  },
  trainingOnly: [...REGULARIZED, 'recurrent_constraint', 'seed'],
  only: { stateful: [false, null], time_major: [false, null], ...only },
});

/**
 * A wrapped layer ({class_name, config}, as tfjs and Keras 2 nest it), read and written with this same table;
 * keys it ignores are reported under its name.
 */
const wrapped = (get: (l: Layer) => Layer): Field => ({
  codec: {
    read(v, ignored) {
      if (!isRecord(v) || typeof v.class_name !== 'string' || !isRecord(v.config))
        return problem(`expected a layer {class_name, config}, got ${show(v)}`);
      if (!layerClass(v.class_name))
        return problem(`class '${v.class_name}' cannot be loaded: tensile has no such layer`);
      const own: string[] = [];
      const layer = readLayer(v.class_name, withoutBatchShape(v.config, v.class_name), own);
      ignored?.push(...own.map((m) => `(its layer '${layer.name}') ${m}`));
      return layer;
    },
    write: (l) => writeLayer(l as Layer),
  },
  get,
});
const MERGE_MODES = oneOf('concat', 'sum', 'mul', 'ave');
const mergeMode: ValueCodec = {
  read: (v) =>
    v === null
      ? problem('null (the two outputs as a list) is not supported; tensile merges them: concat, sum, mul or ave')
      : MERGE_MODES.read(v),
  write: (v) => v,
};

export const LAYER_SPECS: Readonly<Record<string, LayerSpec>> = {
  InputLayer: { fields: {}, only: { sparse: [false, null], ragged: [false, null] }, dtypes: ['float32', 'int32'] },
  Dense: {
    fields: {
      units: integer,
      activation,
      use_bias: boolean,
      kernel_initializer: initializer('glorotUniform', (l) => (l as Dense).kernelInit),
      bias_initializer: initializer('zeros', (l) => (l as Dense).biasInit),
      ...REGULARIZERS,
      ...CONSTRAINTS,
    },
    only: { lora_rank: [null] },
  },
  Activation: { fields: { activation } },
  Dropout: {
    fields: { rate: number, seed: { codec: integer, get: (l) => (l as Dropout).args.seed } },
    trainingOnly: ['noise_shape'],
  },
  Flatten: { fields: {}, only: { data_format: ['channels_last', null] } },
  Reshape: { fields: { target_shape: integerList } },
  Conv2D: conv,
  Conv1D: conv,
  Conv2DTranspose: { ...conv, only: { ...conv.only, output_padding: [null] } },
  DepthwiseConv2D: depthwiseConv,
  SeparableConv2D: separableConv,
  MaxPooling2D: pooling,
  AveragePooling2D: pooling,
  MaxPooling1D: pooling,
  AveragePooling1D: pooling,
  GlobalAveragePooling2D: globalPooling,
  GlobalMaxPooling2D: globalPooling,
  GlobalAveragePooling1D: globalPooling,
  GlobalMaxPooling1D: globalPooling,
  ZeroPadding2D: { fields: { padding: asIs }, only: CHANNELS_LAST },
  UpSampling2D: { fields: { size: integerOrList }, only: { ...CHANNELS_LAST, interpolation: ['nearest', null] } },
  BatchNormalization: {
    fields: {
      axis: integerOrList,
      momentum: number,
      epsilon: number,
      center: boolean,
      scale: boolean,
      beta_initializer: initializer('zeros', (l) => (l as BatchNormalization).inits.beta),
      gamma_initializer: initializer('ones', (l) => (l as BatchNormalization).inits.gamma),
      moving_mean_initializer: initializer('zeros', (l) => (l as BatchNormalization).inits.movingMean),
      moving_variance_initializer: initializer('ones', (l) => (l as BatchNormalization).inits.movingVariance),
    },
    trainingOnly: ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'],
    // fused is an implementation choice in Keras 2; the others change what the layer computes.
    only: {
      renorm: [false, null],
      virtual_batch_size: [null],
      adjustment: [null],
      synchronized: [false, null],
      fused: [null, true, false],
    },
  },
  LayerNormalization: {
    fields: {
      axis: integerOrList,
      epsilon: number,
      center: boolean,
      scale: boolean,
      beta_initializer: initializer('zeros', (l) => (l as LayerNormalization).inits.beta),
      gamma_initializer: initializer('ones', (l) => (l as LayerNormalization).inits.gamma),
    },
    trainingOnly: ['beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'],
    only: { rms_scaling: [false, null] },
  },
  MultiHeadAttention: {
    fields: {
      num_heads: integer,
      key_dim: integer,
      value_dim: integer,
      dropout: number,
      use_bias: boolean,
      output_shape: {
        codec: { read: (v) => (v == null ? undefined : integerOrList.read(v)), write: (v) => (v == null ? null : [v]) },
        get: (l) => (l as MultiHeadAttention).outputDim ?? null,
      },
      kernel_initializer: initializer('glorotUniform', (l) => (l as MultiHeadAttention).kernelInit),
      bias_initializer: initializer('zeros', (l) => (l as MultiHeadAttention).biasInit),
    },
    trainingOnly: [...REGULARIZED, 'seed'],
    only: { attention_axes: [null] },
  },
  LeakyReLU: { fields: { alpha: number } },
  ELU: { fields: { alpha: number } },
  ReLU: { fields: { max_value: number }, only: { negative_slope: [0, null], threshold: [0, null] } },
  Softmax: { fields: { axis: integer } },
  PReLU: {
    fields: {
      alpha_initializer: initializer('zeros', (l) => (l as PReLU).alphaInit),
      shared_axes: {
        codec: { read: (v) => (v == null ? undefined : integerOrList.read(v)), write: (v) => v ?? null },
        get: (l) => (l as PReLU).sharedAxes,
      },
    },
    trainingOnly: ['alpha_regularizer', 'alpha_constraint'],
  },
  RepeatVector: { fields: { n: integer } },
  Permute: { fields: { dims: integerList } },
  Cropping2D: { fields: { cropping: asIs }, only: CHANNELS_LAST },
  GaussianNoise: { fields: { stddev: number }, trainingOnly: ['seed'] },
  GaussianDropout: { fields: { rate: number }, trainingOnly: ['seed'] },
  SpatialDropout1D: { fields: { rate: number }, trainingOnly: ['seed'] },
  SpatialDropout2D: { fields: { rate: number }, trainingOnly: ['seed'], only: CHANNELS_LAST },
  Masking: { fields: { mask_value: number } },
  Rescaling: { fields: { scale: number, offset: number } },
  Normalization: { fields: { axis: integer, mean: asIs, variance: asIs }, only: { invert: [false, null] } },
  LSTM: recurrentSpec({ recurrent_activation: rnnActivation, unit_forget_bias: boolean }),
  // reset_after: Keras 2.3+ and 3 write true (tensile's default when the key is absent); tfjs-layers and Keras 1 write false.
  GRU: recurrentSpec({ recurrent_activation: rnnActivation, reset_after: boolean }),
  SimpleRNN: recurrentSpec({}),
  // input_dim is the vocabulary here, not an input shape (see VOCABULARY_INPUT_DIM).
  Embedding: {
    fields: {
      input_dim: integer,
      output_dim: integer,
      mask_zero: boolean,
      input_length: {
        codec: { read: (v) => (Array.isArray(v) ? integer.read(v[0]) : integer.read(v)), write: (v) => v ?? null },
        get: (l) => (l as Embedding).inputLength ?? null,
      },
      embeddings_initializer: initializer('randomUniform', (l) => (l as Embedding).embeddingsInit),
      embeddings_regularizer: regularizer,
      activity_regularizer: regularizer,
    },
    trainingOnly: ['embeddings_constraint'],
    only: { sparse: [false, null], lora_rank: [null] },
  },
  // Their weights are named under the wrapper's name in files (see weightNames in match-weights.ts).
  TimeDistributed: { fields: { layer: wrapped((l) => (l as TimeDistributed).layer) } },
  // A backward_layer of its own (Keras' option) is not supported: tensile derives it from 'layer', as tfjs does.
  Bidirectional: {
    fields: { layer: wrapped((l) => (l as Bidirectional).args.layer), merge_mode: mergeMode },
    only: { backward_layer: [null] },
  },
  Add: { fields: {} },
  Subtract: { fields: {} },
  Multiply: { fields: {} },
  Average: { fields: {} },
  Maximum: { fields: {} },
  Minimum: { fields: {} },
  Concatenate: { fields: { axis: integer } },
  Dot: { fields: { axes: integerOrList, normalize: boolean } },
};
