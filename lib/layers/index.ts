import { Dense, type DenseArgs } from './dense.js';
import {
  Activation,
  type ActivationArgs,
  Dropout,
  type DropoutArgs,
  Flatten,
  Reshape,
  type ReshapeArgs,
} from './core.js';
import { InputLayer, type InputLayerArgs } from './input-layer.js';
import type { LayerArgs } from './layer.js';

export { Layer } from './layer.js';
export type { LayerArgs, CallContext, SymbolicShape, ApplyKwargs, OutputSignature } from './layer.js';
export { Variable } from './variable.js';
export { Dense, Activation, Dropout, Flatten, Reshape, InputLayer };
export type { DenseArgs, ActivationArgs, DropoutArgs, ReshapeArgs, InputLayerArgs };

/** Fully connected layer. @example tl.layers.dense({ units: 10, inputShape: [784], activation: 'relu' }) */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** @example tl.layers.activation({ activation: 'softmax' }) */
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/** @example tl.layers.dropout({ rate: 0.5 }) */
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
/** @example tl.layers.flatten({ inputShape: [28, 28] }) */
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
/** @example tl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }) */
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
/** Declares the input shape of a Sequential. @example model.add(tl.layers.inputLayer({ inputShape: [784] })) */
export const inputLayer = (args: InputLayerArgs): InputLayer => new InputLayer(args);

// ---- convolutional -------------------------------------------------------------------------------
export { Conv2D, Conv1D } from './conv.js';
export { DepthwiseConv2D, SeparableConv2D } from './conv-depthwise.js';
export type { ConvArgs } from './conv.js';
export type { DepthwiseConv2DArgs, SeparableConv2DArgs } from './conv-depthwise.js';
export { Conv2DTranspose } from './conv-transpose.js';
export {
  MaxPooling2D,
  AveragePooling2D,
  MaxPooling1D,
  AveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
} from './pooling.js';
export type { PoolingArgs } from './pooling.js';
export { ZeroPadding2D, UpSampling2D } from './padding.js';
export type { ZeroPadding2DArgs, UpSampling2DArgs } from './padding.js';
import { Conv1D, Conv2D, type ConvArgs } from './conv.js';
import {
  DepthwiseConv2D,
  type DepthwiseConv2DArgs,
  SeparableConv2D,
  type SeparableConv2DArgs,
} from './conv-depthwise.js';
import { Conv2DTranspose } from './conv-transpose.js';
import {
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  MaxPooling1D,
  MaxPooling2D,
  type PoolingArgs,
} from './pooling.js';
import { UpSampling2D, type UpSampling2DArgs, ZeroPadding2D, type ZeroPadding2DArgs } from './padding.js';

/** 2-D convolution, channels-last. @example tl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }) */
export const conv2d = (args: ConvArgs): Conv2D => new Conv2D(args);
/** 1-D convolution over [batch, steps, channels]. @example tl.layers.conv1d({ filters: 16, kernelSize: 5, inputShape: [100, 8] }) */
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
/**
 * Transposed 2-D convolution ("deconvolution"), channels-last: upsamples by `strides` (Keras' Conv2DTranspose;
 * kernel [kh, kw, filters, in]). @example tl.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', inputShape: [7, 7, 32] }) // → [batch, 14, 14, 16]
 */
export const conv2dTranspose = (args: ConvArgs): Conv2DTranspose => new Conv2DTranspose(args);
/** Depthwise 2-D convolution. @example tl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [28, 28, 8] }) */
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
/** Depthwise then 1×1 pointwise convolution. @example tl.layers.separableConv2d({ filters: 16, kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [28, 28, 8] }) */
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);
/** @example tl.layers.maxPooling2d({ poolSize: 2 }) */
export const maxPooling2d = (args: PoolingArgs = {}): MaxPooling2D => new MaxPooling2D(args);
/** @example tl.layers.averagePooling2d({ poolSize: [2, 2], padding: 'same' }) */
export const averagePooling2d = (args: PoolingArgs = {}): AveragePooling2D => new AveragePooling2D(args);
/** @example tl.layers.maxPooling1d({ poolSize: 2 }) */
export const maxPooling1d = (args: PoolingArgs = {}): MaxPooling1D => new MaxPooling1D(args);
/** @example tl.layers.averagePooling1d({ poolSize: 2 }) */
export const averagePooling1d = (args: PoolingArgs = {}): AveragePooling1D => new AveragePooling1D(args);
/** [batch, h, w, c] → [batch, c]. @example tl.layers.globalAveragePooling2d({}) */
export const globalAveragePooling2d = (args: LayerArgs = {}): GlobalAveragePooling2D =>
  new GlobalAveragePooling2D(args);
/** @example tl.layers.globalMaxPooling2d({}) */
export const globalMaxPooling2d = (args: LayerArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
/** [batch, steps, c] → [batch, c]. @example tl.layers.globalAveragePooling1d({}) */
export const globalAveragePooling1d = (args: LayerArgs = {}): GlobalAveragePooling1D =>
  new GlobalAveragePooling1D(args);
/** @example tl.layers.globalMaxPooling1d({}) */
export const globalMaxPooling1d = (args: LayerArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
/** @example tl.layers.zeroPadding2d({ padding: [[1, 0], [1, 0]] }) */
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
/** @example tl.layers.upSampling2d({ size: [2, 2] }) */
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);

// ---- recurrent and sequence ----------------------------------------------------------------------
export { LSTM } from './lstm.js';
export type { LSTMArgs } from './lstm.js';
export { GRU } from './gru.js';
export type { GRUArgs } from './gru.js';
export { SimpleRNN } from './simple-rnn.js';
export type { SimpleRNNArgs } from './simple-rnn.js';
export { RecurrentLayer } from './recurrent.js';
export type { RecurrentArgs } from './recurrent.js';
export { Embedding } from './embedding.js';
export type { EmbeddingArgs } from './embedding.js';
export { Bidirectional, TimeDistributed } from './wrappers.js';
export type { BidirectionalArgs, TimeDistributedArgs, MergeMode } from './wrappers.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { GRU, type GRUArgs } from './gru.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { Bidirectional, type BidirectionalArgs, TimeDistributed, type TimeDistributedArgs } from './wrappers.js';

/** Keras' LSTM (gates i, f, c, o; sigmoid gates, unit forget bias). @example tl.layers.lstm({ units: 32, inputShape: [50, 8] }) */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/** Keras' GRU (gates z, r, h; resetAfter true by default, false for Keras 1 / tfjs-layers models). @example tl.layers.gru({ units: 16, returnSequences: true }) */
export const gru = (args: GRUArgs): GRU => new GRU(args);
/** Keras' SimpleRNN. @example tl.layers.simpleRNN({ units: 8, inputShape: [10, 2] }) */
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
/** Integer indices → learned vectors. @example tl.layers.embedding({ inputDim: 1000, outputDim: 16, maskZero: true }) */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** Run a recurrent layer both ways. @example tl.layers.bidirectional({ layer: tl.layers.lstm({ units: 8 }) }) */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/** Apply a layer at every time step. @example tl.layers.timeDistributed({ layer: tl.layers.dense({ units: 4 }) }) */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
export { BatchNormalization } from './normalization.js';
export type { BatchNormalizationArgs } from './normalization.js';
import { BatchNormalization, type BatchNormalizationArgs } from './normalization.js';
/** @example model.add(tl.layers.batchNormalization({})) // after a conv2d, before its activation */
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization =>
  new BatchNormalization(args);

// ---- attention and layer normalization -----------------------------------------------------------
export { LayerNormalization } from './layer-normalization.js';
export type { LayerNormalizationArgs } from './layer-normalization.js';
export { MultiHeadAttention } from './multi-head-attention.js';
export type { MultiHeadAttentionArgs, MultiHeadAttentionKwargs } from './multi-head-attention.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention.js';
/** Normalizes each sample over its last axis (epsilon 1e-3, as Keras). @example tl.layers.layerNormalization({ epsilon: 1e-6 }) */
export const layerNormalization = (args: LayerNormalizationArgs = {}): LayerNormalization =>
  new LayerNormalization(args);
/**
 * Keras 3's multi-head attention, applied to [query, value] or [query, value, key].
 * @example const y = tl.layers.multiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x], { useCausalMask: true })
 */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention => new MultiHeadAttention(args);

// ---- merging -------------------------------------------------------------------------------------
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from './merge.js';
export type { ConcatenateArgs, DotArgs } from './merge.js';
import {
  Add,
  Average,
  Concatenate,
  type ConcatenateArgs,
  Dot,
  type DotArgs,
  Maximum,
  Minimum,
  Multiply,
  Subtract,
} from './merge.js';
/** Sum of a list of inputs (broadcast by sample). @example tl.layers.add().apply([x, shortcut]) */
export const add = (args: LayerArgs = {}): Add => new Add(args);
/** The first input minus the second. @example tl.layers.subtract().apply([a, b]) */
export const subtract = (args: LayerArgs = {}): Subtract => new Subtract(args);
/** Element-wise product. @example tl.layers.multiply().apply([a, gate]) */
export const multiply = (args: LayerArgs = {}): Multiply => new Multiply(args);
/** Element-wise mean. @example tl.layers.average().apply([a, b, c]) */
export const average = (args: LayerArgs = {}): Average => new Average(args);
/** Element-wise maximum. @example tl.layers.maximum().apply([a, b]) */
export const maximum = (args: LayerArgs = {}): Maximum => new Maximum(args);
/** Element-wise minimum. @example tl.layers.minimum().apply([a, b]) */
export const minimum = (args: LayerArgs = {}): Minimum => new Minimum(args);
/** Join along an axis (default the last). @example tl.layers.concatenate({ axis: -1 }).apply([a, b]) */
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
/** Dot products of samples; normalize for cosine similarity. @example tl.layers.dot({ axes: 1, normalize: true }).apply([a, b]) */
export const dot = (args: DotArgs): Dot => new Dot(args);

// ---- activation, reshaping, noise and preprocessing layers ---------------------------------------
export { LeakyReLU, PReLU, ELU, ReLU, Softmax } from './advanced-activations.js';
export type { LeakyReLUArgs, PReLUArgs, ELUArgs, ReLUArgs, SoftmaxArgs } from './advanced-activations.js';
export { RepeatVector, Permute, Cropping2D } from './reshaping.js';
export type { RepeatVectorArgs, PermuteArgs, Cropping2DArgs } from './reshaping.js';
export { GaussianNoise, GaussianDropout, SpatialDropout1D, SpatialDropout2D } from './noise.js';
export type { GaussianNoiseArgs, RateArgs } from './noise.js';
export { Masking, Rescaling, Normalization } from './preprocessing.js';
export type { MaskingArgs, RescalingArgs, NormalizationArgs } from './preprocessing.js';
import {
  ELU,
  type ELUArgs,
  LeakyReLU,
  type LeakyReLUArgs,
  PReLU,
  type PReLUArgs,
  ReLU,
  type ReLUArgs,
  Softmax,
  type SoftmaxArgs,
} from './advanced-activations.js';
import {
  Cropping2D,
  type Cropping2DArgs,
  Permute,
  type PermuteArgs,
  RepeatVector,
  type RepeatVectorArgs,
} from './reshaping.js';
import {
  GaussianDropout,
  GaussianNoise,
  type GaussianNoiseArgs,
  type RateArgs,
  SpatialDropout1D,
  SpatialDropout2D,
} from './noise.js';
import {
  Masking,
  type MaskingArgs,
  Normalization,
  type NormalizationArgs,
  Rescaling,
  type RescalingArgs,
} from './preprocessing.js';
/** x, or alpha·x below 0 (alpha 0.3). @example tl.layers.leakyReLU({ alpha: 0.1 }) */
export const leakyReLU = (args: LeakyReLUArgs = {}): LeakyReLU => new LeakyReLU(args);
/** Leaky ReLU with learned slopes. @example tl.layers.prelu({ sharedAxes: [1, 2] }) */
export const prelu = (args: PReLUArgs = {}): PReLU => new PReLU(args);
/** @example tl.layers.elu({ alpha: 1 }) */
export const elu = (args: ELUArgs = {}): ELU => new ELU(args);
/** ReLU, capped at maxValue. @example tl.layers.reLU({ maxValue: 6 }) */
export const reLU = (args: ReLUArgs = {}): ReLU => new ReLU(args);
/** @example tl.layers.softmax({ axis: 1 }) */
export const softmax = (args: SoftmaxArgs = {}): Softmax => new Softmax(args);
/** [batch, f] → [batch, n, f]. @example tl.layers.repeatVector({ n: 4 }) */
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
/** @example tl.layers.permute({ dims: [2, 1] }) */
export const permute = (args: PermuteArgs): Permute => new Permute(args);
/** @example tl.layers.cropping2d({ cropping: [[1, 1], [2, 2]] }) */
export const cropping2d = (args: Cropping2DArgs = {}): Cropping2D => new Cropping2D(args);
/** @example tl.layers.gaussianNoise({ stddev: 0.1 }) */
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
/** @example tl.layers.gaussianDropout({ rate: 0.2 }) */
export const gaussianDropout = (args: RateArgs): GaussianDropout => new GaussianDropout(args);
/** @example tl.layers.spatialDropout1d({ rate: 0.2 }) */
export const spatialDropout1d = (args: RateArgs): SpatialDropout1D => new SpatialDropout1D(args);
/** @example tl.layers.spatialDropout2d({ rate: 0.2 }) */
export const spatialDropout2d = (args: RateArgs): SpatialDropout2D => new SpatialDropout2D(args);
/** @example tl.layers.masking({ maskValue: 0, inputShape: [10, 3] }) */
export const masking = (args: MaskingArgs = {}): Masking => new Masking(args);
/** @example tl.layers.rescaling({ scale: 1 / 255 }) */
export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
/** @example const n = tl.layers.normalization(); n.adapt(xTrain) */
export const normalization = (args: NormalizationArgs = {}): Normalization => new Normalization(args);
