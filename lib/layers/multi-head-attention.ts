import { noGrad } from '../autograd/index.js';
import { TensileError } from '../errors.js';
import { broadcastTo, dense, dropout, maskedSoftmax, matmul, mul, reshape, scalar, transpose } from '../ops/index.js';
import { broadcastShapes, fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { type Initializer, type InitializerIdentifier, getInitializer, initializerName } from './initializers.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, fmtSym, isShapeList } from './layer.js';
import { maskOf, withMask } from './masking.js';
import { registerLayer } from './registry.js';
import type { Variable } from './variable.js';

/** Options of tl.layers.multiHeadAttention. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head of the query and key projections. */
  keyDim: number;
  /** Size of each head of the value projection (default keyDim). */
  valueDim?: number;
  /** Dropout rate on the attention probabilities, in training (default 0). */
  dropout?: number;
  /** Biases in the four projections (default true). */
  useBias?: boolean;
  /** Last dimension of the output (default: the query's). */
  outputShape?: number | readonly number[];
  /** The initializer of the query, key, value and output projection kernels. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | Initializer;
  /** The initializer of the projection biases. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | Initializer;
  /** Only null (attention over the one sequence axis) is supported. */
  attentionAxes?: null;
}

/** What apply's second argument may hold besides `training`. */
export interface MultiHeadAttentionKwargs {
  /** [batch, queryLength, valueLength] (or broadcastable) of 0/1: which keys each query may attend to. */
  attentionMask?: Tensor;
  /** Each query attends only to keys at or before its own position. */
  useCausalMask?: boolean;
  /** Also return the attention probabilities [batch, heads, queryLength, valueLength] (use applyAll). */
  returnAttentionScores?: boolean;
}

interface Projection {
  kernel: Variable;
  bias?: Variable;
}

/**
 * Keras 3's MultiHeadAttention on inputs [query, value] or [query, value, key] of shape [batch, length, dim]:
 * query, key and value projected per head (EinsumDense 'abc,cde->abde': kernels [dim, heads, keyDim], biases
 * [heads, keyDim]), the query scaled by 1/√keyDim, softmax over the keys (masked), dropout on the probabilities,
 * and the output projection 'abcd,cde->abe' (kernel [heads, valueDim, outDim]). Weights in Keras order: query,
 * key, value, output projection, each kernel then bias. Padding masks of the inputs (from an embedding with
 * maskZero) apply as in Keras; the output carries the query's mask.
 */
export class MultiHeadAttention extends Layer<MultiHeadAttentionArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'MultiHeadAttention';
  static override readonly argKeys: readonly string[] = [
    'numHeads',
    'keyDim',
    'valueDim',
    'dropout',
    'useBias',
    'outputShape',
    'kernelInitializer',
    'biasInitializer',
    'attentionAxes',
  ];
  /** Number of attention heads. */
  readonly numHeads: number;
  /** Size of each attention head for query and key. */
  readonly keyDim: number;
  /** Size of each attention head for value (keyDim unless given). */
  readonly valueDim: number;
  /** Dropout rate on the attention probabilities, applied in training. */
  readonly dropout: number;
  /** Whether the dense projections use bias vectors. */
  readonly useBias: boolean;
  /** Last dimension of the output; undefined: the query's last dimension. */
  readonly outputDim?: number;
  /** The initializer of the projection kernels. */
  readonly kernelInit: Initializer;
  /** The initializer of the projection biases. */
  readonly biasInit: Initializer;
  private proj!: { query: Projection; key: Projection; value: Projection; output: Projection };
  private dims!: { query: number; value: number; key: number; out: number };

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const op = 'layers.multiHeadAttention';
    const positive = (name: string, v: unknown) => {
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1))
        throw new TensileError(op, `${name} must be a positive integer, got ${String(v)}`);
      return v;
    };
    this.numHeads = positive('numHeads', args.numHeads);
    this.keyDim = positive('keyDim', args.keyDim);
    this.valueDim = args.valueDim == null ? this.keyDim : positive('valueDim', args.valueDim);
    const rate = args.dropout ?? 0;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
      throw new TensileError(op, `dropout must be a number in [0, 1), got ${String(rate)}`);
    this.dropout = rate;
    this.useBias = args.useBias ?? true;
    if (args.outputShape != null) {
      const s = args.outputShape;
      const d = typeof s === 'number' ? s : Array.isArray(s) && s.length === 1 ? s[0] : NaN;
      this.outputDim = positive('outputShape (one dimension)', d);
    }
    if (args.attentionAxes != null)
      throw new TensileError(
        op,
        `attentionAxes ${JSON.stringify(args.attentionAxes)} is not supported: attention runs over the sequence axis of [batch, length, dim] inputs`,
      );
    this.kernelInit = getInitializer(op, args.kernelInitializer ?? 'glorotUniform');
    this.biasInit = getInitializer(op, args.biasInitializer ?? 'zeros');
  }

  /** [query, value, key?] shapes, checked: rank 3, one batch, value and key of one length. */
  private shapes(inputShape: SymbolicShape | SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    if (!isShapeList(inputShape) || inputShape.length < 2 || inputShape.length > 3)
      throw new TensileError(
        this.name,
        'expects a list [query, value] or [query, value, key] of tensors [batch, length, dim]',
      );
    const [q, v, k = v] = inputShape;
    for (const [name, s] of [
      ['query', q],
      ['value', v],
      ['key', k],
    ] as const)
      if (s.length !== 3 || s[2] === null)
        throw new TensileError(
          this.name,
          `${name} must have shape [batch, length, dim] with a known dim, got ${fmtSym(s)}`,
        );
    if (k[1] !== null && v[1] !== null && k[1] !== v[1])
      throw new TensileError(this.name, `key ${fmtSym(k)} and value ${fmtSym(v)} must have the same length`);
    return [q, v, k];
  }

  protected override checkInput(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q, v, k] = this.shapes(inputShape);
    if ([q[0], v[0], k[0]].some((b) => b !== null && b !== q[0]))
      throw new TensileError(
        this.name,
        `query ${fmtSym(q)}, value ${fmtSym(v)} and key ${fmtSym(k)} must have the same batch size`,
      );
    if (this.built && (q[2] !== this.dims.query || v[2] !== this.dims.value || k[2] !== this.dims.key))
      throw new TensileError(
        this.name,
        `was built for query, value, key dims ${this.dims.query}, ${this.dims.value}, ${this.dims.key}; got ${fmtSym(q)}, ${fmtSym(v)}, ${fmtSym(k)}`,
      );
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const [q, v, k] = this.shapes(inputShape).map((s) => s[2] as number);
    const out = this.outputDim ?? q;
    this.dims = { query: q, value: v, key: k, out };
    const H = this.numHeads;
    const projection = (name: string, kernel: number[], bias: number[]): Projection => ({
      kernel: this.addWeight(`${name}/kernel`, kernel, this.kernelInit),
      bias: this.useBias ? this.addWeight(`${name}/bias`, bias, this.biasInit) : undefined,
    });
    // Keras order: query, key, value, output; kernel then bias.
    const query = projection('query', [q, H, this.keyDim], [H, this.keyDim]);
    const key = projection('key', [k, H, this.keyDim], [H, this.keyDim]);
    const value = projection('value', [v, H, this.valueDim], [H, this.valueDim]);
    const output = projection('attention_output', [H, this.valueDim, out], [out]);
    this.proj = { query, key, value, output };
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const [q] = this.shapes(inputShape);
    return [q[0], q[1], this.outputDim ?? q[2]];
  }

  /** x [B, T, D] → [B·heads, T, perHead]: one fused GEMM + bias, then the heads moved before the positions. */
  private project(x: Tensor, p: Projection, perHead: number): Tensor {
    const [B, T, D] = x.shape;
    const H = this.numHeads;
    const y = dense(
      reshape(x, [B * T, D]),
      reshape(p.kernel.value, [D, H * perHead]),
      p.bias ? reshape(p.bias.value, [H * perHead]) : null,
    );
    return reshape(transpose(reshape(y, [B, T, H, perHead]), [0, 2, 1, 3]), [B * H, T, perHead]);
  }

  /** The [batch or 1, T, S] 0/1 mask of Keras' _compute_attention_mask (null: attend everywhere). */
  private attentionMask(q: Tensor, v: Tensor, k: Tensor, kw: MultiHeadAttentionKwargs): Tensor | null {
    const [B, T] = q.shape,
      S = v.shape[1];
    return noGrad(() => {
      let m: Tensor | null = null;
      const and = (t: Tensor) => (m = m ? mul(m, t) : t);
      const qm = maskOf(q),
        vm = maskOf(v),
        km = k === v ? null : maskOf(k);
      if (qm) and(reshape(qm, [B, T, 1]));
      if (vm) and(reshape(vm, [B, 1, S]));
      if (km) and(reshape(km, [B, 1, S]));
      if (kw.useCausalMask)
        and(
          new Tensor(
            Float32Array.from({ length: T * S }, (_, i) => (Math.floor(i / S) >= i % S ? 1 : 0)),
            [1, T, S],
          ),
        );
      if (kw.attentionMask !== undefined) {
        const a = kw.attentionMask;
        if (!(a instanceof Tensor))
          throw new TensileError(this.name, `attentionMask must be a Tensor [batch, ${T}, ${S}], got ${typeof a}`);
        let fits = a.rank <= 3;
        try {
          fits &&= broadcastShapes(this.name, [B, T, S], a.shape).every((d, i) => d === [B, T, S][i]);
        } catch {
          fits = false;
        }
        if (!fits)
          throw new TensileError(
            this.name,
            `attentionMask must have shape [batch, queryLength, valueLength] = [${B}, ${T}, ${S}] (or broadcast to it), got ${fmt(a.shape)}`,
          );
        and(a.rank === 3 ? a : reshape(a, [...new Array<number>(3 - a.rank).fill(1), ...a.shape]));
      }
      return m;
    });
  }

  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[] {
    if (!Array.isArray(inputs))
      throw new TensileError(
        this.name,
        'expects a list [query, value] or [query, value, key] of tensors [batch, length, dim]',
      );
    this.checkInput(inputs.map((t) => t.shape));
    const [query, value, key = value] = inputs;
    const kw = (ctx.kwargs ?? {}) as MultiHeadAttentionKwargs;
    const known = ['attentionMask', 'useCausalMask', 'returnAttentionScores'];
    const unknown = Object.keys(kw).filter((k) => !known.includes(k));
    if (unknown.length)
      throw new TensileError(
        this.name,
        `unknown keyword argument${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; expected ${known.join(', ')} or training`,
      );
    const [B, T] = query.shape,
      S = value.shape[1],
      H = this.numHeads;
    const p = this.proj;
    const q = mul(this.project(query, p.query, this.keyDim), scalar(1 / Math.sqrt(this.keyDim)));
    const k = this.project(key, p.key, this.keyDim);
    const v = this.project(value, p.value, this.valueDim);
    const scores = reshape(matmul(q, k, { transposeB: true }), [B, H, T, S]);
    const mask = this.attentionMask(query, value, key, kw);
    const probs = maskedSoftmax(scores, mask && broadcastTo(reshape(mask, [mask.shape[0], 1, T, S]), [B, 1, T, S]));
    const dropped = ctx.training && this.dropout > 0 ? dropout(probs, this.dropout) : probs;
    const o = matmul(reshape(dropped, [B * H, T, S]), v); // [B·H, T, valueDim]
    const merged = reshape(transpose(reshape(o, [B, H, T, this.valueDim]), [0, 2, 1, 3]), [B * T, H * this.valueDim]);
    const out = reshape(
      dense(merged, reshape(p.output.kernel.value, [H * this.valueDim, this.dims.out]), p.output.bias?.value ?? null),
      [B, T, this.dims.out],
    );
    withMask(out, maskOf(query));
    return kw.returnAttentionScores ? [out, probs] : out;
  }

  override getConfig(): Record<string, unknown> {
    const name = (i: Initializer) => initializerName(i) ?? 'custom';
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputDim ?? null,
      attentionAxes: null,
      kernelInitializer: name(this.kernelInit),
      biasInitializer: name(this.biasInit),
    };
  }
}
registerLayer(MultiHeadAttention);
