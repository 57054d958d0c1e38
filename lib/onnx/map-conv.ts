import { Conv1D, Conv2D } from '../layers/conv.js';
import { DepthwiseConv2D, SeparableConv2D } from '../layers/conv-depthwise.js';
import { Conv2DTranspose } from '../layers/conv-transpose.js';
import type { Layer } from '../layers/layer.js';
import { UpSampling2D, ZeroPadding2D } from '../layers/padding.js';
import {
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  MaxPooling1D,
  MaxPooling2D,
} from '../layers/pooling.js';
import { type Padding, axisGeometry } from '../ops/window.js';
import { type Attribute, type OnnxGraph, type Value, attr } from './graph.js';
import { type MappingEntry, activate, host, mapping, output, permuted, single, weight } from './mapping.js';

// Convolution, pooling, padding and upsampling. tensile is channels-last (NHWC, NWC); ONNX's Conv and
// pooling are channels-first: each layer transposes in ([0, 3, 1, 2], [0, 2, 1]) and out, and
// optimizeTransposes() removes the pairs between consecutive layers. Kernels HWIO → OIHW.

/** [N, ...spatial, C] ↔ [N, C, ...spatial] for a spatial rank. */
const toChannelsFirst = (rank: number) => [0, rank + 1, ...Array.from({ length: rank }, (_, i) => i + 1)];
const toChannelsLast = (rank: number) => [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1];

interface Window {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padding: Padding;
}

/**
 * kernel_shape, strides, dilations and Keras' padding as explicit ONNX pads [begin..., end...] (TensorFlow puts
 * the odd pixel of 'same' after), or auto_pad SAME_UPPER (the same rule) where a spatial size is unknown.
 */
function windowAttributes(x: Value, w: Window): Record<string, Attribute> {
  const spatial = x.shape.slice(1, -1);
  const base = { kernel_shape: attr.ints(w.kernel), strides: attr.ints(w.strides), dilations: attr.ints(w.dilations) };
  if (w.padding === 'valid') return base;
  if (spatial.some((d) => d === null)) return { ...base, auto_pad: attr.string('SAME_UPPER') };
  const begin: number[] = [],
    end: number[] = [];
  spatial.forEach((size, i) => {
    const span = (w.kernel[i] - 1) * w.dilations[i] + 1;
    const { out, padBefore } = axisGeometry(size as number, w.kernel[i], w.strides[i], w.dilations[i], 'same')!;
    begin.push(padBefore);
    end.push(Math.max((out - 1) * w.strides[i] + span - (size as number), 0) - padBefore);
  });
  return { ...base, pads: attr.ints([...begin, ...end]) };
}

/** Run `body` on x in channels-first layout; the result comes back channels-last. */
function channelsFirst(g: OnnxGraph, layer: Layer, x: Value, body: (xcf: string, rank: number) => string): string {
  const rank = x.shape.length - 2;
  return g.transpose(
    body(g.transpose(x.name, toChannelsFirst(rank), layer.name), rank),
    toChannelsLast(rank),
    layer.name,
  );
}

/** Keras kernel [...window, in, out] as ONNX [out, in, ...window], made when the writer reaches it. */
function oihw(g: OnnxGraph, layer: Layer, name: string): string {
  const k = weight(layer, name)!;
  const dims = k.shape;
  const r = dims.length;
  const perm = [r - 1, r - 2, ...Array.from({ length: r - 2 }, (_, i) => i)];
  return g.weight(
    `${layer.name}/${name}`,
    perm.map((p) => dims[p]),
    () => permuted(host(k), dims, perm),
  );
}

function biasOf(g: OnnxGraph, layer: Layer): string[] {
  const b = weight(layer, 'bias');
  return b ? [g.weight(`${layer.name}/bias`, b.shape, host(b))] : [];
}

/** Depthwise kernel [kh, kw, C, M] as ONNX's grouped [C·M, 1, kh, kw]: output channel c·M + m. */
function depthwise(g: OnnxGraph, layer: Layer): { w: string; channels: number } {
  const k = weight(layer, 'depthwise_kernel')!;
  const [kh, kw, c, m] = k.shape;
  return {
    w: g.weight(`${layer.name}/depthwise_kernel`, [c * m, 1, kh, kw], () => permuted(host(k), k.shape, [2, 3, 0, 1])),
    channels: c,
  };
}

const convWindow = (l: Conv2D | Conv1D | DepthwiseConv2D | SeparableConv2D): Window => ({
  kernel: l.kernelSize,
  strides: l.strides,
  dilations: l.dilationRate,
  padding: l.padding,
});
const poolWindow = (l: MaxPooling2D | AveragePooling2D | MaxPooling1D | AveragePooling1D): Window => ({
  kernel: l.poolSize,
  strides: l.strides,
  dilations: l.poolSize.map(() => 1),
  padding: l.padding,
});

function convMapping(cls: typeof Conv2D | typeof Conv1D): MappingEntry {
  return mapping<Conv2D | Conv1D>(cls, 'Transpose, Conv, Transpose, activation', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = channelsFirst(g, layer, x, (xcf) =>
      g.op(
        'Conv',
        [xcf, oihw(g, layer, 'kernel'), ...biasOf(g, layer)],
        windowAttributes(x, convWindow(layer)),
        layer.name,
      ),
    );
    return [output(layer, x, activate(g, y, layer.activation.name, layer.name))];
  });
}

function poolMapping(
  cls: typeof MaxPooling2D | typeof AveragePooling2D | typeof MaxPooling1D | typeof AveragePooling1D,
  op: 'MaxPool' | 'AveragePool',
): MappingEntry {
  return mapping<MaxPooling2D | AveragePooling2D | MaxPooling1D | AveragePooling1D>(
    cls,
    `Transpose, ${op}, Transpose`,
    ({ g }, layer, inputs) => {
      const x = single(layer, inputs);
      // AveragePool's count_include_pad stays 0: Keras does not count 'same' padding either.
      const { dilations: _, ...window } = windowAttributes(x, poolWindow(layer));
      return [
        output(
          layer,
          x,
          channelsFirst(g, layer, x, (xcf) => g.op(op, [xcf], window, layer.name)),
        ),
      ];
    },
  );
}

function globalPoolMapping(
  cls:
    | typeof GlobalAveragePooling2D
    | typeof GlobalMaxPooling2D
    | typeof GlobalAveragePooling1D
    | typeof GlobalMaxPooling1D,
  op: string,
): MappingEntry {
  return mapping(cls, `Transpose, ${op}, Flatten`, ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const pooled = g.op(op, [g.transpose(x.name, toChannelsFirst(x.shape.length - 2), layer.name)], {}, layer.name); // [N, C, 1, 1]
    return [output(layer, x, g.op('Flatten', [pooled], { axis: attr.int(1) }, layer.name))];
  });
}

/**
 * ConvTranspose gives stride·(size − 1) + k − pads; Keras wants size·stride + max(k − stride, 0) ('valid') or
 * size·stride ('same', the odd pixel after as conv2d): pads of max(k − stride, 0) ('same' only) and, for a kernel
 * smaller than its stride, output_padding stride − k (rows after the last tap: the bias alone, as in Keras).
 */
function transposeAttributes(l: Conv2DTranspose): Record<string, Attribute> {
  const total = l.kernelSize.map((k, i) => (l.padding === 'same' ? Math.max(k - l.strides[i], 0) : 0));
  const begin = total.map((t) => Math.floor(t / 2));
  const outputPadding = l.kernelSize.map((k, i) => Math.max(l.strides[i] - k, 0));
  return {
    kernel_shape: attr.ints(l.kernelSize),
    strides: attr.ints(l.strides),
    pads: attr.ints([...begin, ...total.map((t, i) => t - begin[i])]),
    ...(outputPadding.some((p) => p > 0) ? { output_padding: attr.ints(outputPadding) } : {}),
  };
}

export const CONV: readonly MappingEntry[] = [
  convMapping(Conv2D),
  convMapping(Conv1D),
  // Keras' kernel [kh, kw, filters, in] is ConvTranspose's [in, filters, kh, kw]: the same permutation as oihw.
  mapping(Conv2DTranspose, 'Transpose, ConvTranspose, Transpose, activation', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = channelsFirst(g, layer, x, (xcf) =>
      g.op(
        'ConvTranspose',
        [xcf, oihw(g, layer, 'kernel'), ...biasOf(g, layer)],
        transposeAttributes(layer),
        layer.name,
      ),
    );
    return [output(layer, x, activate(g, y, layer.activation.name, layer.name))];
  }),
  mapping(DepthwiseConv2D, 'Transpose, Conv (group = channels), Transpose, activation', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = channelsFirst(g, layer, x, (xcf) => {
      const { w, channels } = depthwise(g, layer);
      return g.op(
        'Conv',
        [xcf, w, ...biasOf(g, layer)],
        { ...windowAttributes(x, convWindow(layer)), group: attr.int(channels) },
        layer.name,
      );
    });
    return [output(layer, x, activate(g, y, layer.activation.name, layer.name))];
  }),
  mapping(SeparableConv2D, 'Transpose, Conv (depthwise), Conv (1×1), Transpose, activation', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const y = channelsFirst(g, layer, x, (xcf) => {
      const { w, channels } = depthwise(g, layer);
      const dw = g.op(
        'Conv',
        [xcf, w],
        { ...windowAttributes(x, convWindow(layer)), group: attr.int(channels) },
        layer.name,
      );
      return g.op(
        'Conv',
        [dw, oihw(g, layer, 'pointwise_kernel'), ...biasOf(g, layer)],
        { kernel_shape: attr.ints([1, 1]) },
        layer.name,
      );
    });
    return [output(layer, x, activate(g, y, layer.activation.name, layer.name))];
  }),
  poolMapping(MaxPooling2D, 'MaxPool'),
  poolMapping(AveragePooling2D, 'AveragePool'),
  poolMapping(MaxPooling1D, 'MaxPool'),
  poolMapping(AveragePooling1D, 'AveragePool'),
  globalPoolMapping(GlobalAveragePooling2D, 'GlobalAveragePool'),
  globalPoolMapping(GlobalMaxPooling2D, 'GlobalMaxPool'),
  globalPoolMapping(GlobalAveragePooling1D, 'GlobalAveragePool'),
  globalPoolMapping(GlobalMaxPooling1D, 'GlobalMaxPool'),
  mapping(ZeroPadding2D, 'Transpose, Pad, Transpose', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const [[t, b], [l, r]] = layer.padding;
    return [
      output(
        layer,
        x,
        channelsFirst(g, layer, x, (xcf) =>
          g.op('Pad', [xcf, g.int64s(`${layer.name}/pads`, [0, 0, t, l, 0, 0, b, r])], {}, layer.name),
        ),
      ),
    ];
  }),
  // Keras' nearest upsampling repeats each pixel: out[i] = in[floor(i / size)], Resize's asymmetric + floor.
  mapping(UpSampling2D, 'Transpose, Resize (nearest), Transpose', ({ g }, layer, inputs) => {
    const x = single(layer, inputs);
    const [sh, sw] = layer.size;
    return [
      output(
        layer,
        x,
        channelsFirst(g, layer, x, (xcf) =>
          g.op(
            'Resize',
            [xcf, '', g.weight(`${layer.name}/scales`, [4], Float32Array.of(1, 1, sh, sw))],
            {
              mode: attr.string('nearest'),
              coordinate_transformation_mode: attr.string('asymmetric'),
              nearest_mode: attr.string('floor'),
            },
            layer.name,
          ),
        ),
      ),
    ];
  }),
];
