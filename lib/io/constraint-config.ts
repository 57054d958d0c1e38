import { getConstraint } from '../constraints/index.js';
import { TensileError } from '../errors.js';
import { isRecord, show } from './format.js';
import { problem } from './problem.js';
import type { ValueCodec } from './values.js';

// A weight constraint in a layer's config: {class_name: 'MaxNorm' | 'UnitNorm' | 'NonNeg' | 'MinMaxNorm', config}
// with snake_case keys (max_value, min_value, rate, axis) as Keras and tfjs write them; camelCase is read too.
const CLASSES = ['MaxNorm', 'UnitNorm', 'NonNeg', 'MinMaxNorm'];
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const constraint: ValueCodec = {
  read(v) {
    if (v === null || v === undefined) return undefined;
    if (!isRecord(v) || typeof v.class_name !== 'string' || !CLASSES.includes(v.class_name))
      return problem(
        `expected a constraint {class_name: ${CLASSES.map((c) => `'${c}'`).join(' | ')}, config}, got ${show(isRecord(v) ? (v.class_name ?? v) : v)}`,
      );
    const known = ['maxValue', 'minValue', 'rate', 'axis'];
    const config = Object.fromEntries(
      Object.entries(isRecord(v.config) ? v.config : {})
        .map(([k, x]) => [camel(k), x])
        .filter(([k]) => known.includes(k as string)),
    );
    try {
      return getConstraint('load', { className: v.class_name, config });
    } catch (err) {
      return problem(err instanceof TensileError ? err.message : String(err));
    }
  },
  write: (v) =>
    isRecord(v) && typeof v.className === 'string' && isRecord(v.config)
      ? { class_name: v.className, config: Object.fromEntries(Object.entries(v.config).map(([k, x]) => [snake(k), x])) }
      : null,
};
