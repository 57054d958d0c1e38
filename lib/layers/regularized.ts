import { type Regularizer, type RegularizerIdentifier, getRegularizer } from '../regularizers/index.js';

/** A layer's regularizer option: a regularizer, its name ('l1', 'l2', 'l1l2') or null for none. */
/** A regularizer option: a name ('l1', 'l2', 'l1l2'), a tl.regularizers object, or null for none. */
export type RegularizerArg = RegularizerIdentifier | Regularizer | null;

/** A regularizer as getConfig() gives it (tfjs' serialized form), or null. */
export const regularizerConfig = (
  r: Regularizer | undefined,
): { className: string; config: { l1: number; l2: number } } | null =>
  r ? { className: 'L1L2', config: r.getConfig() } : null;

/** Resolve a layer's regularizer options by name (e.g. kernelRegularizer), once, in the constructor. */
export function regularizersOf<K extends string>(
  op: string,
  args: object,
  keys: readonly K[],
): Partial<Record<K, Regularizer>> {
  const out: Partial<Record<K, Regularizer>> = {};
  for (const k of keys) {
    const r = getRegularizer(op, (args as Record<string, RegularizerArg | undefined>)[k]);
    if (r) out[k] = r;
  }
  return out;
}
