import { TensileError } from '../errors.js';
import { RecurrentLayer, type RecurrentArgs } from './recurrent.js';
import { registerLayer } from './registry.js';

export interface GRUArgs extends RecurrentArgs {
  /** Apply the reset gate after the recurrent product (Keras 2 and 3's default, true; the only form supported). */
  resetAfter?: boolean;
}

/**
 * Gated recurrent unit (Cho et al.), Keras' GRU with reset_after: gates z, r, h in that order in
 * kernel [features, 3·units] and recurrent_kernel [units, 3·units]; bias [2, 3·units] holds the input
 * bias, then the recurrent bias. h = z·h_prev + (1 − z)·tanh(x·W_h + b_h + r·(h_prev·U_h + b'_h)).
 * @example tl.layers.gru({ units: 16, returnSequences: true }) // [batch, time, f] → [batch, time, 16]
 */
export class GRU extends RecurrentLayer<GRUArgs> {
  static override readonly className = 'GRU';
  protected readonly cell = 'gru' as const;
  protected readonly gates = 3;

  constructor(args: GRUArgs) {
    super(args, { recurrentActivation: 'sigmoid' });
    if (args.resetAfter === false)
      throw new TensileError('layers.gru', 'resetAfter: false (the Keras 1 / tfjs-layers form) is not supported; tensile implements resetAfter: true, the Keras 2 and 3 default');
  }

  protected biasShape(): number[] {
    return [2, 3 * this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), resetAfter: true };
  }
}
registerLayer(GRU);
