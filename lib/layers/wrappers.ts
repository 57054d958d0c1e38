import { TensileError } from '../errors.js';
import { add, concat, gather, mul, reshape, scalar, transpose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallContext, Layer, type LayerArgs, type SymbolicShape, callSingle, fmtSym } from './layer.js';
import { maskOf, withMask } from './masking.js';
import { RecurrentLayer } from './recurrent.js';
import { registerLayer } from './registry.js';

// Layers that wrap another: timeDistributed applies one to every step, bidirectional runs a recurrent
// layer both ways. Their weights are the inner layers' (Keras order: forward, then backward).

/** Options of tl.layers.timeDistributed. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to each step (a fresh, unbuilt layer). */
  layer: Layer;
}

/**
 * Applies a layer to every time step: [batch, time, ...] → [batch, time, ...layer output], the same weights at each.
 * @example tl.layers.timeDistributed({ layer: tl.layers.dense({ units: 10 }) }) // [b, t, 8] → [b, t, 10]
 */
export class TimeDistributed extends Layer<TimeDistributedArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'TimeDistributed';
  static override readonly argKeys: readonly string[] = ['layer'];
  /** The wrapped layer. */
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    if (!(args.layer instanceof Layer))
      throw new TensileError('layers.timeDistributed', `layer must be a layer, got ${typeof args.layer}`);
    this.layer = args.layer;
  }

  override build(inputShape: SymbolicShape): void {
    if (inputShape.length < 3)
      throw new TensileError(this.name, `expected input of shape [batch, time, ...], got ${fmtSym(inputShape)}`);
    this.layer.ensureBuilt([null, ...inputShape.slice(2)]);
    this.variables.push(...this.layer.weights);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank < 3)
      throw new TensileError(this.name, `expected input of shape [batch, time, ...], got [${x.shape.join(', ')}]`);
    const [B, T] = x.shape;
    const y = callSingle(this.layer, reshape(x, [B * T, ...x.shape.slice(2)]), ctx);
    return withMask(reshape(y, [B, T, ...y.shape.slice(1)]), maskOf(x));
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const inner = this.layer.computeOutputShape([null, ...s.slice(2)]);
    return [s[0], s[1], ...inner.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() } };
  }
}
registerLayer(TimeDistributed);

/** How Bidirectional combines the two directions' outputs. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/** Options of tl.layers.bidirectional. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (its configuration is copied into a forward and a backward layer). */
  layer: RecurrentLayer;
  /** How the two outputs combine (default concat, on the last axis). */
  mergeMode?: MergeMode;
}

type RecurrentClass = new (args: RecurrentLayer['args']) => RecurrentLayer;

/**
 * Runs a recurrent layer forwards and a copy backwards in time and merges their outputs (the backward
 * layer's sequence is put back in forward order first, as Keras does).
 * @example tl.layers.bidirectional({ layer: tl.layers.lstm({ units: 8 }), inputShape: [20, 4] }) // → [batch, 16]
 */
export class Bidirectional extends Layer<BidirectionalArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Bidirectional';
  static override readonly argKeys: readonly string[] = ['layer', 'mergeMode'];
  /** The layer run over the sequence in order. */
  readonly forwardLayer: RecurrentLayer;
  /** The layer run over the sequence in reverse. */
  readonly backwardLayer: RecurrentLayer;
  /** How the two directions' outputs are combined: 'concat' (default), 'sum', 'mul' or 'ave'. */
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super(args);
    const op = 'layers.bidirectional';
    const given: unknown = args.layer;
    if (!(given instanceof RecurrentLayer))
      throw new TensileError(
        op,
        `layer must be a recurrent layer (simpleRNN, lstm, gru), got ${given instanceof Layer ? given.className : typeof given}`,
      );
    if (args.layer.returnState)
      throw new TensileError(op, 'a layer with returnState is not supported inside bidirectional');
    this.mergeMode = args.mergeMode ?? 'concat';
    if (!MERGE_MODES.includes(this.mergeMode))
      throw new TensileError(
        op,
        `mergeMode must be one of ${MERGE_MODES.join(', ')}, got ${typeof this.mergeMode === 'string' ? `'${this.mergeMode}'` : String(this.mergeMode)}`,
      );
    const Cls = args.layer.constructor as RecurrentClass;
    const { name: _n, inputShape: _i, batchInputShape: _b, inputDim: _d, ...config } = args.layer.args;
    const base = args.layer.name;
    this.forwardLayer = new Cls({ ...config, name: `forward_${base}`, goBackwards: args.layer.goBackwards });
    this.backwardLayer = new Cls({ ...config, name: `backward_${base}`, goBackwards: !args.layer.goBackwards });
  }

  override build(inputShape: SymbolicShape): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
    this.variables.push(...this.forwardLayer.weights, ...this.backwardLayer.weights);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const f = this.forwardLayer.call(x, ctx);
    let b = this.backwardLayer.call(x, ctx);
    if (this.forwardLayer.returnSequences) b = reverseTime(b);
    const y =
      this.mergeMode === 'concat'
        ? concat([f, b], -1)
        : this.mergeMode === 'sum'
          ? add(f, b)
          : this.mergeMode === 'mul'
            ? mul(f, b)
            : mul(add(f, b), scalar(0.5));
    return this.forwardLayer.returnSequences ? withMask(y, maskOf(x)) : y;
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const out = this.forwardLayer.computeOutputShape(s);
    if (this.mergeMode !== 'concat') return out;
    return [...out.slice(0, -1), (out[out.length - 1] as number) * 2];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: { className: this.forwardLayer.className, config: this.forwardLayer.getConfig() },
    };
  }
}
registerLayer(Bidirectional);

/** [batch, time, units] with the time axis reversed. */
function reverseTime(x: Tensor): Tensor {
  const T = x.shape[1];
  const order = Int32Array.from({ length: T }, (_, i) => T - 1 - i);
  return transpose(gather(transpose(x, [1, 0, 2]), order), [1, 0, 2]);
}
