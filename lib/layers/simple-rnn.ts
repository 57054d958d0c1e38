import { RECURRENT_ARG_KEYS, RecurrentLayer, type RecurrentArgs } from './recurrent.js';
import { registerLayer } from './registry.js';

/** Options of tl.layers.simpleRNN. */
export type SimpleRNNArgs = Omit<RecurrentArgs, 'recurrentActivation'>;

/**
 * Keras' SimpleRNN: h_t = activation(x_t·kernel + h_{t−1}·recurrent_kernel + bias), kernel [features, units],
 * recurrent_kernel [units, units], bias [units].
 * @example tl.layers.simpleRNN({ units: 8, inputShape: [10, 2] }) // [batch, 10, 2] → [batch, 8]
 */
export class SimpleRNN extends RecurrentLayer<SimpleRNNArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'SimpleRNN';
  static override readonly argKeys = RECURRENT_ARG_KEYS;
  protected readonly cell = 'simpleRNN' as const;
  protected readonly gates = 1;

  constructor(args: SimpleRNNArgs) {
    super(args, { recurrentActivation: 'sigmoid' });
  }

  protected biasShape(): number[] {
    return [this.units];
  }

  override getConfig(): Record<string, unknown> {
    const { recurrentActivation: _, ...config } = super.getConfig();
    return config;
  }
}
registerLayer(SimpleRNN);
