import { TimeDistributed } from '../layers/wrappers.js';
import { type MappingEntry, known, mapping, output, single } from './mapping.js';

// TimeDistributed: the inner layer's own mapping on [N·T, ...] (steps folded into the batch), then unfolded.

export const WRAPPERS: readonly MappingEntry[] = [
  mapping(TimeDistributed, "Reshape, the inner layer's ops, Reshape", (ctx, layer, inputs) => {
    const x = single(layer, inputs);
    const [steps, ...rest] = known(
      layer,
      x.shape,
      x.shape.slice(1).map((_, i) => i + 1),
      'number of steps and sample shape',
    );
    const folded = { name: ctx.g.reshape(x.name, [-1, ...rest], layer.name), shape: [null, ...rest] };
    const [inner] = ctx.map(layer.layer, [folded]);
    const outRest = known(
      layer,
      inner.shape,
      inner.shape.slice(1).map((_, i) => i + 1),
      'inner output shape',
    );
    return [output(layer, x, ctx.g.reshape(inner.name, [-1, steps, ...outRest], layer.name))];
  }),
];
