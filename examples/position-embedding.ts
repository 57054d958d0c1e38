// A learned position embedding as a custom layer: each position t of a [batch, length, dim] input gets its own
// trainable vector added (token + position, as Keras' TokenAndPositionEmbedding). Registered by class name, so a
// model holding it saves and loads like one of tensile's own.
import * as tl from 'tensile';

export class PositionEmbedding extends tl.layers.Layer {
  static override readonly className = 'PositionEmbedding';
  private table!: tl.layers.Variable;

  override build(inputShape: tl.layers.SymbolicShape | tl.layers.SymbolicShape[]): void {
    const [, length, dim] = inputShape as tl.layers.SymbolicShape;
    if (typeof length !== 'number' || typeof dim !== 'number')
      throw new tl.TensileError(this.name, 'needs inputs [batch, length, dim] of known length and dim');
    this.table = this.addWeight('embeddings', [length, dim], 'randomUniform');
  }

  call(x: tl.Tensor | tl.Tensor[]): tl.Tensor {
    return tl.add(x as tl.Tensor, this.table.value); // [batch, length, dim] + [length, dim]
  }
}
tl.serialization.registerClass(PositionEmbedding);

/** One post-norm encoder block (as Keras' and PyTorch's): attention + residual + LayerNormalization, then the feed-forward part likewise. */
export function transformerEncoder(
  x: tl.SymbolicTensor,
  o: { heads: number; dim: number; ffn: number; dropout: number; causal?: boolean },
): tl.SymbolicTensor {
  const L = tl.layers;
  const attention = L.multiHeadAttention({ numHeads: o.heads, keyDim: o.dim / o.heads, dropout: o.dropout }).apply(
    [x, x],
    { useCausalMask: o.causal ?? false },
  );
  const h = L.layerNormalization().apply(L.add().apply([x, L.dropout({ rate: o.dropout }).apply(attention)]));
  const f = L.dense({ units: o.dim }).apply(L.dense({ units: o.ffn, activation: 'relu' }).apply(h));
  return L.layerNormalization().apply(L.add().apply([h, L.dropout({ rate: o.dropout }).apply(f)]));
}
