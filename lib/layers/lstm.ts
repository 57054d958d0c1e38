import type { Initializer } from './initializers.js';
import { getInitializer } from './initializers.js';
import { RECURRENT_ARG_KEYS, RecurrentLayer, type RecurrentArgs } from './recurrent.js';
import { registerLayer } from './registry.js';

export interface LSTMArgs extends RecurrentArgs {
  /** Add 1 to the forget gate's bias at initialisation (Keras' default, true): the cell remembers by default. */
  unitForgetBias?: boolean;
}

/**
 * Long short-term memory (Hochreiter & Schmidhuber), Keras' LSTM: gates i, f, c, o in that order in
 * kernel [features, 4·units], recurrent_kernel [units, 4·units] and bias [4·units].
 * @example tl.layers.lstm({ units: 32, inputShape: [50, 8] }) // [batch, 50, 8] → [batch, 32]
 */
export class LSTM extends RecurrentLayer<LSTMArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'LSTM';
  static override readonly argKeys = [...RECURRENT_ARG_KEYS, 'unitForgetBias'];
  protected readonly cell = 'lstm' as const;
  protected readonly gates = 4;
  /** Start the forget gate's bias at 1 (Keras' default true). */
  readonly unitForgetBias: boolean;

  constructor(args: LSTMArgs) {
    super(args, { recurrentActivation: 'sigmoid' });
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected biasShape(): number[] {
    return [4 * this.units];
  }

  protected override initialBias(): Initializer {
    const u = this.units;
    const init = getInitializer(this.opName, this.biasInit);
    if (!this.unitForgetBias) return init;
    // Keras: the bias initializer on the i, c, o blocks and ones on the forget block.
    return (shape) => {
      const values = init(shape);
      values.fill(1, u, 2 * u);
      return values;
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
registerLayer(LSTM);
