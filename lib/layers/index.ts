import { Dense, type DenseArgs } from './dense.js';
import { Activation, type ActivationArgs, Dropout, type DropoutArgs, Flatten, Reshape, type ReshapeArgs } from './core.js';
import { InputLayer, type InputLayerArgs } from './input-layer.js';
import type { LayerArgs } from './layer.js';

export { Layer } from './layer.js';
export type { LayerArgs, CallContext, SymbolicShape } from './layer.js';
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
