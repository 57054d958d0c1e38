import {
  INITIALIZERS,
  type Initializer,
  type Mode,
  fans,
  initializerName,
  varianceScaling,
} from '../layers/initializers.js';
import { lookup } from '../internal/names.js';
import { normal, uniform } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import { type KerasObject, isRecord, show } from './format.js';
import { problem } from './problem.js';

// Keras / tfjs initializer configs ↔ tensile initializers. Seeds in files are ignored: tensile's
// initializers draw from the one source that tl.setSeed controls.

const vs = (scale: number, mode: string, distribution: string): KerasObject => ({
  class_name: 'VarianceScaling',
  config: { scale, mode, distribution, seed: null },
});

/** Each named initializer as tfjs-layers writes it (VarianceScaling for the Glorot/He/LeCun family). */
const WRITTEN: Readonly<Record<string, KerasObject>> = {
  zeros: { class_name: 'Zeros', config: {} },
  ones: { class_name: 'Ones', config: {} },
  glorotUniform: vs(1, 'fan_avg', 'uniform'),
  glorotNormal: vs(1, 'fan_avg', 'truncated_normal'),
  heUniform: vs(2, 'fan_in', 'uniform'),
  heNormal: vs(2, 'fan_in', 'truncated_normal'),
  lecunUniform: vs(1, 'fan_in', 'uniform'),
  lecunNormal: vs(1, 'fan_in', 'truncated_normal'),
  randomNormal: { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  randomUniform: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
  truncatedNormal: { class_name: 'TruncatedNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  orthogonal: { class_name: 'Orthogonal', config: { gain: 1, seed: null } },
};

/** Initializers built from a file's parameters, remembered so that saving writes the same config back. */
const fromFile = new WeakMap<Initializer, KerasObject>();

const MODES: Readonly<Record<string, Mode>> = {
  fan_in: 'fanIn',
  fanIn: 'fanIn',
  fan_out: 'fanOut',
  fanOut: 'fanOut',
  fan_avg: 'fanAvg',
  fanAvg: 'fanAvg',
};
// tfjs' 'normal' and Keras' 'truncated_normal' both draw a truncated normal.
const DISTRIBUTIONS: Readonly<Record<string, 'uniform' | 'truncatedNormal' | 'untruncatedNormal'>> = {
  uniform: 'uniform',
  normal: 'truncatedNormal',
  truncated_normal: 'truncatedNormal',
  truncatedNormal: 'truncatedNormal',
  untruncated_normal: 'untruncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
};

const fill = (shape: readonly number[], draw: () => number): Float32Array => {
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return out;
};

function num(config: Record<string, unknown>, key: string, fallback: number): number {
  const v = config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    problem(`initializer parameter ${key} must be a number, got ${show(v)}`);
  return v;
}

/** Parametric initializers (values other than a named one's defaults). */
function parametric(className: string, c: Record<string, unknown>): Initializer | undefined {
  switch (className) {
    case 'Constant': {
      const value = num(c, 'value', 0);
      return (s) => new Float32Array(sizeOf(s)).fill(value);
    }
    case 'RandomNormal': {
      const [mean, std] = [num(c, 'mean', 0), num(c, 'stddev', 0.05)];
      return (s) => fill(s, () => mean + std * normal());
    }
    case 'RandomUniform': {
      const [lo, hi] = [num(c, 'minval', -0.05), num(c, 'maxval', 0.05)];
      return (s) => fill(s, () => lo + (hi - lo) * uniform());
    }
    case 'TruncatedNormal': {
      const [mean, std] = [num(c, 'mean', 0), num(c, 'stddev', 0.05)];
      const draw = () => {
        for (;;) {
          const v = normal();
          if (Math.abs(v) <= 2) return mean + std * v;
        }
      };
      return (s) => fill(s, draw);
    }
    case 'Orthogonal': {
      const gain = num(c, 'gain', 1);
      return (s) => INITIALIZERS.orthogonal(s).map((v) => v * gain);
    }
    case 'VarianceScaling': {
      const scale = num(c, 'scale', 1);
      const mode = MODES[String(c.mode ?? 'fan_in')];
      const dist = DISTRIBUTIONS[String(c.distribution ?? 'truncated_normal')];
      if (!mode) problem(`VarianceScaling mode must be fan_in, fan_out or fan_avg, got ${show(c.mode)}`);
      if (!dist)
        problem(
          `VarianceScaling distribution must be uniform, truncated_normal or untruncated_normal, got ${show(c.distribution)}`,
        );
      if (dist !== 'untruncatedNormal') return varianceScaling(scale, mode, dist);
      return (s) => {
        const [fanIn, fanOut] = fans(s);
        const n = Math.max(1, mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
        const std = Math.sqrt(scale / n);
        return fill(s, () => std * normal());
      };
    }
    default:
      return undefined;
  }
}

/** The named initializer whose Keras config this is, parameters included (VarianceScaling(1, fan_avg, uniform) → glorotUniform). */
function named(className: string, c: Record<string, unknown>): string | undefined {
  if (className === 'VarianceScaling') {
    const [scale, mode, dist] = [
      c.scale ?? 1,
      MODES[String(c.mode ?? 'fan_in')],
      DISTRIBUTIONS[String(c.distribution ?? 'truncated_normal')],
    ];
    const family =
      scale === 1 && mode === 'fanAvg'
        ? 'glorot'
        : scale === 2 && mode === 'fanIn'
          ? 'he'
          : scale === 1 && mode === 'fanIn'
            ? 'lecun'
            : undefined;
    if (!family || dist === 'untruncatedNormal' || !dist) return undefined;
    return family + (dist === 'uniform' ? 'Uniform' : 'Normal');
  }
  const name = lookup(Object.fromEntries(Object.keys(INITIALIZERS).map((k) => [k, k])), className, {
    LeCunNormal: 'lecunNormal',
    LeCunUniform: 'lecunUniform',
  });
  if (!name) return undefined;
  // A named class with non-default parameters (RandomNormal(stddev=0.01)) is parametric.
  const defaults = WRITTEN[name]?.config ?? {};
  const same = Object.entries(c).every(([k, v]) => k === 'seed' || v === null || defaults[k] === v);
  return same ? name : undefined;
}

/**
 * A Keras or tfjs initializer as a tensile one: a name ('glorot_uniform', 'GlorotUniform'), a class
 * config ({class_name, config}, Keras 3's {module, class_name, config, registered_name}), or null (default).
 */
export function readInitializer(value: unknown): string | Initializer | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const name = lookup(Object.fromEntries(Object.keys(INITIALIZERS).map((k) => [k, k])), value);
    return name ?? problem(`unknown initializer '${value}'; known: ${Object.keys(INITIALIZERS).join(', ')}`);
  }
  if (!isRecord(value) || typeof value.class_name !== 'string')
    problem(`an initializer must be a name or {class_name, config}, got ${show(value)}`);
  const className = value.class_name;
  const config = isRecord(value.config) ? value.config : {};
  const name = named(className, config);
  if (name) return name;
  const init = parametric(className, config);
  if (!init)
    problem(
      `initializer class '${className}' is not supported; supported: ${[...new Set(Object.values(WRITTEN).map((o) => o.class_name))].join(', ')}, Constant, Glorot/He/LeCun Uniform and Normal`,
    );
  fromFile.set(init, { class_name: className, config: { ...config } });
  return init;
}

/** The Keras config of an initializer, or undefined for a function written by the user (not serialisable). */
export function writeInitializer(init: Initializer): KerasObject | undefined {
  const name = initializerName(init);
  if (name && WRITTEN[name]) return structuredClone(WRITTEN[name]);
  const config = fromFile.get(init);
  return config && structuredClone(config);
}

/** The Keras config of a named initializer (a layer's default, written in place of a custom function). */
export const writeNamedInitializer = (name: string): KerasObject => structuredClone(WRITTEN[name]);
