import { L1L2 } from '../regularizers/index.js';
import { isRecord, show } from './format.js';
import { problem } from './problem.js';
import type { ValueCodec } from './values.js';

// A regularizer in a layer's config. tfjs and Keras 1 write {class_name: 'L1L2', config: {l1, l2}}; Keras 2.6+
// and 3 write 'L1' {l1} or 'L2' {l2} (Keras 3 adds module and registered_name). Read all; write tfjs' form.
const CLASSES = ['L1L2', 'L1', 'L2'];

export const regularizer: ValueCodec = {
  read(v) {
    if (v === null || v === undefined) return undefined;
    if (!isRecord(v) || typeof v.class_name !== 'string' || !CLASSES.includes(v.class_name))
      return problem(
        `expected a regularizer {class_name: 'L1L2' | 'L1' | 'L2', config}, got ${show(isRecord(v) ? (v.class_name ?? v) : v)}`,
      );
    const c = isRecord(v.config) ? v.config : {};
    const factor = (k: 'l1' | 'l2') => {
      const x = c[k] ?? 0;
      return typeof x === 'number' && Number.isFinite(x) && x >= 0
        ? x
        : problem(`regularizer ${k} must be a non-negative number, got ${show(x)}`);
    };
    return new L1L2({ l1: factor('l1'), l2: factor('l2') });
  },
  write: (v) =>
    isRecord(v) && isRecord(v.config) ? { class_name: 'L1L2', config: { l1: v.config.l1, l2: v.config.l2 } } : null,
};
