import { ELU, LeakyReLU, PReLU, ReLU, Softmax } from '../layers/advanced-activations.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D } from '../layers/noise.js';
import { Normalization, Rescaling } from '../layers/preprocessing.js';
import { Cropping2D, Permute, RepeatVector } from '../layers/reshaping.js';
import { attr } from './graph.js';
import { type MappingEntry, host, mapping, output, single, weight } from './mapping.js';

const INT64_MAX = 2n ** 63n - 1n;

// The everyday layers: the activation layers, the noise layers (the identity at inference, as Dropout),
// Rescaling, Normalization, Permute, RepeatVector and Cropping2D.

const identity = (_: unknown, layer: Parameters<typeof single>[0], inputs: Parameters<typeof single>[1]) => [
  single(layer, inputs),
];

export const EVERYDAY: readonly MappingEntry[] = [
  mapping(LeakyReLU, 'LeakyRelu', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    return [output(layer, x, g.op('LeakyRelu', [x.name], { alpha: attr.float(layer.alpha) }, layer.name))];
  }),
  mapping(ELU, 'Elu', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    return [output(layer, x, g.op('Elu', [x.name], { alpha: attr.float(layer.alpha) }, layer.name))];
  }),
  // Clip's bounds are inputs from opset 11 on; no upper bound without maxValue.
  mapping(ReLU, 'Relu, or Clip with maxValue', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y =
      layer.maxValue === null
        ? g.op('Relu', [x.name], {}, layer.name)
        : g.op(
            'Clip',
            [x.name, g.scalar(`${layer.name}/min`, 0), g.scalar(`${layer.name}/max`, layer.maxValue)],
            {},
            layer.name,
          );
    return [output(layer, x, y)];
  }),
  mapping(Softmax, 'Softmax', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    return [output(layer, x, g.op('Softmax', [x.name], { axis: attr.int(layer.axis) }, layer.name))];
  }),
  // PRelu's slope broadcasts from the trailing axes: the layer's alpha, shaped as a sample (1 on shared axes).
  mapping(PReLU, 'PRelu', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const alpha = weight(layer, 'alpha')!;
    return [
      output(
        layer,
        x,
        g.op('PRelu', [x.name, g.weight(`${layer.name}/alpha`, alpha.shape, host(alpha))], {}, layer.name),
      ),
    ];
  }),
  mapping(GaussianNoise, '(removed)', identity),
  mapping(GaussianDropout, '(removed)', identity),
  mapping(SpatialDropout1D, '(removed)', identity),
  mapping(SpatialDropout2D, '(removed)', identity),
  mapping(Rescaling, 'Mul, Add', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    let y = g.op('Mul', [x.name, g.scalar(`${layer.name}/scale`, layer.scale)], {}, layer.name);
    if (layer.offset !== 0) y = g.op('Add', [y, g.scalar(`${layer.name}/offset`, layer.offset)], {}, layer.name);
    return [output(layer, x, y)];
  }),
  mapping(Permute, 'Transpose', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    return [output(layer, x, g.transpose(x.name, [0, ...layer.args.dims], layer.name))];
  }),
  // [B, D] → [B, 1, D] → tiled n times along the new axis.
  mapping(RepeatVector, 'Unsqueeze, Tile', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = g.op('Unsqueeze', [x.name, g.int64s(`${layer.name}/axes`, [1])], {}, layer.name);
    return [
      output(layer, x, g.op('Tile', [y, g.int64s(`${layer.name}/repeats`, [1, layer.args.n, 1])], {}, layer.name)),
    ];
  }),
  // (x − mean) / max(√variance, 1e-7), the denominator computed once here from the adapted statistics.
  mapping(Normalization, 'Sub, Div', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const r = x.shape.length,
      a = layer.axis < 0 ? layer.axis + r : layer.axis;
    const mean = weight(layer, 'mean')!,
      variance = weight(layer, 'variance')!;
    const shape = x.shape.map((_, i) => (i === a ? mean.shape[0] : 1));
    const std = host(variance).map((v) => Math.max(Math.sqrt(v), 1e-7));
    const centred = g.op('Sub', [x.name, g.weight(`${layer.name}/mean`, shape, host(mean))], {}, layer.name);
    return [output(layer, x, g.op('Div', [centred, g.weight(`${layer.name}/std`, shape, std)], {}, layer.name))];
  }),
  // Rows and columns cut from both ends of NHWC: a Slice on axes 1 and 2 (an end of 0 cropped is "to the end").
  mapping(Cropping2D, 'Slice', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const [[t, b], [l, r]] = layer.cropping;
    const ends = [b > 0 ? BigInt(-b) : INT64_MAX, r > 0 ? BigInt(-r) : INT64_MAX];
    const y = g.op(
      'Slice',
      [
        x.name,
        g.int64s(`${layer.name}/starts`, [t, l]),
        g.int64s(`${layer.name}/ends`, ends),
        g.int64s(`${layer.name}/axes`, [1, 2]),
      ],
      {},
      layer.name,
    );
    return [output(layer, x, y)];
  }),
];
