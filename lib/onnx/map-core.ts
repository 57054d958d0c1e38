import { Activation, Dropout, Flatten, Reshape } from '../layers/core.js';
import { Dense } from '../layers/dense.js';
import { Embedding } from '../layers/embedding.js';
import { InputLayer } from '../layers/input-layer.js';
import { BatchNormalization } from '../layers/normalization.js';
import { attr } from './graph.js';
import { type MappingEntry, activate, host, mapping, output, single, weight } from './mapping.js';

// Dense, Activation, Dropout, Flatten, Reshape, InputLayer, BatchNormalization and Embedding.

const TO_INT64 = 7; // TensorProto.DataType.INT64

export const CORE: readonly MappingEntry[] = [
  // x·kernel + bias on the last axis: MatMul takes the kernel [in, units] as is (a view, no copy) at any rank.
  mapping(Dense, 'MatMul, Add, activation', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const kernel = weight(layer, 'kernel')!,
      bias = weight(layer, 'bias');
    let y = g.op('MatMul', [x.name, g.weight(`${layer.name}/kernel`, kernel.shape, host(kernel))], {}, layer.name);
    if (bias) y = g.op('Add', [y, g.weight(`${layer.name}/bias`, bias.shape, host(bias))], {}, layer.name);
    return [output(layer, x, activate(g, y, layer.activationName, layer.name))];
  }),
  mapping(Activation, 'the activation (Relu, Softmax, ...)', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = activate(g, x.name, layer.activationName, layer.name);
    return [output(layer, x, y === x.name ? g.op('Identity', [x.name], {}, layer.name) : y)];
  }),
  // Inference is the identity: nothing to compute (the value passes on under its name).
  mapping(Dropout, '(removed)', (_, layer, inputs) => [single(layer, inputs)]),
  mapping(InputLayer, '(the graph input)', (_, layer, inputs) => [single(layer, inputs)]),
  mapping(Flatten, 'Flatten', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    return [output(layer, x, g.op('Flatten', [x.name], { axis: attr.int(1) }, layer.name))];
  }),
  mapping(Reshape, 'Reshape', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    // 0 keeps the batch dimension, whatever it is at run time.
    return [output(layer, x, g.reshape(x.name, [0, ...layer.args.targetShape], layer.name))];
  }),
  // Keras normalizes the last axis; ONNX's BatchNormalization the second: move channels there and back
  // (after a Conv the pair cancels, and BatchNormalization runs on Conv's NCHW output).
  mapping(BatchNormalization, 'BatchNormalization (inference), Transpose for rank > 2', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const mean = weight(layer, 'moving_mean')!,
      variance = weight(layer, 'moving_variance')!;
    const c = mean.shape[0];
    const gamma = weight(layer, 'gamma'),
      beta = weight(layer, 'beta');
    const scale = g.weight(`${layer.name}/gamma`, [c], gamma ? host(gamma) : new Float32Array(c).fill(1));
    const shift = g.weight(`${layer.name}/beta`, [c], beta ? host(beta) : new Float32Array(c));
    const r = x.shape.length;
    const toFirst = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
    const toLast = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
    const xin = r > 2 ? g.transpose(x.name, toFirst, layer.name) : x.name;
    const y = g.op(
      'BatchNormalization',
      [
        xin,
        scale,
        shift,
        g.weight(`${layer.name}/moving_mean`, [c], host(mean)),
        g.weight(`${layer.name}/moving_variance`, [c], host(variance)),
      ],
      { epsilon: attr.float(layer.epsilon) },
      layer.name,
    );
    return [output(layer, x, r > 2 ? g.transpose(y, toLast, layer.name) : y)];
  }),
  // tensile feeds indices as float32 (as predict takes them): Cast to int64, then Gather rows of the table.
  mapping(Embedding, 'Cast, Gather', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const table = weight(layer, 'embeddings')!;
    const ids = g.op('Cast', [x.name], { to: attr.int(TO_INT64) }, layer.name);
    return [
      output(
        layer,
        x,
        g.op(
          'Gather',
          [g.weight(`${layer.name}/embeddings`, table.shape, host(table)), ids],
          { axis: attr.int(0) },
          layer.name,
        ),
      ),
    ];
  }),
];
