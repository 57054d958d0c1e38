import type { RecurrentOptions } from '../ops/recurrent.js';
import { RECURRENT_ARG_KEYS, RecurrentLayer, type RecurrentArgs } from './recurrent.js';
import { registerLayer } from './registry.js';

export interface GRUArgs extends RecurrentArgs {
  /**
   * Apply the reset gate after the recurrent product (default true, Keras 2 and 3's default; bias [2, 3·units])
   * or before it (false: Keras 1's form and the only one tfjs-layers implements; bias [3·units]).
   */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al.), Keras' GRU: gates z, r, h in that order in kernel [features, 3·units]
 * and recurrent_kernel [units, 3·units]; h = z·h_prev + (1 − z)·ĥ.
 * resetAfter true (default): bias [2, 3·units] holds the input bias, then the recurrent bias, and
 * ĥ = tanh(x·W_h + b_h + r·(h_prev·U_h + b'_h)). resetAfter false: bias [3·units], ĥ = tanh(x·W_h + b_h + (r·h_prev)·U_h).
 * @example tl.layers.gru({ units: 16, returnSequences: true }) // [batch, time, f] → [batch, time, 16]
 */
export class GRU extends RecurrentLayer<GRUArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'GRU';
  static override readonly argKeys = [...RECURRENT_ARG_KEYS, 'resetAfter'];
  protected readonly cell = 'gru' as const;
  protected readonly gates = 3;
  /** Apply the reset gate after the recurrent matmul (Keras 2+ and CuDNN convention). Default true. */
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args, { recurrentActivation: 'sigmoid' });
    this.resetAfter = args.resetAfter ?? true;
  }

  protected override cellOptions(): Partial<RecurrentOptions> {
    return { resetAfter: this.resetAfter };
  }

  protected biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
registerLayer(GRU);
