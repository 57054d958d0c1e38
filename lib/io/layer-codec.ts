import type { Layer, SymbolicShape } from '../layers/layer.js';
import { layerClass } from '../layers/registry.js';
import { toCamel } from '../internal/names.js';
import { type KerasObject, show } from './format.js';
import { ConfigProblem, problem } from './problem.js';
import { type ValueCodec, boolean, readBatchShape, readDtype } from './values.js';

import { type Field, LAYER_SPECS, type LayerSpec } from './layer-configs.js';

// Reading a layer from its Keras config and writing one back, through the per-class entries of LAYER_SPECS
// (layer-configs.ts), or mechanically for classes registered without one.

/** Classes whose input_dim is a constructor argument of their own (Embedding's vocabulary), not an input shape. */
const VOCABULARY_INPUT_DIM = new Set(['Embedding']);

/** Keys every layer may carry; read here, not by the class entries. */
const COMMON = new Set([
  'name',
  'trainable',
  'dtype',
  'batch_input_shape',
  'batch_shape',
  'input_shape',
  'input_dim',
  'batch_size',
]);
const BATCH_KEYS = ['batch_input_shape', 'batch_shape', 'input_shape', 'input_dim', 'batch_size'];

const toSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const asField = (f: Field | ValueCodec): Field => ('codec' in f ? f : { codec: f });
const raw: ValueCodec = { read: (v) => v, write: (v) => v };

/**
 * The spec of a class: its table entry, or for a class registered without one (a user's custom layer)
 * a mechanical one: every getConfig() key, snake_case in the file, values as they are.
 */
function specOf(className: string, layer?: Layer): LayerSpec | undefined {
  if (LAYER_SPECS[className]) return LAYER_SPECS[className];
  if (!layerClass(className)) return undefined;
  const keys = layer
    ? Object.keys(layer.getConfig())
        .map(toSnake)
        .filter((k) => !COMMON.has(k))
    : [];
  return { fields: Object.fromEntries(keys.map((k) => [k, raw])), passThrough: true };
}

/** The batch input shape a config declares (batch_input_shape, Keras 3's batch_shape, input_shape or input_dim). */
export function declaredBatchShape(c: Record<string, unknown>, className?: string): SymbolicShape | undefined {
  if (c.batch_input_shape != null) return readBatchShape(c.batch_input_shape);
  if (c.batch_shape != null) return readBatchShape(c.batch_shape);
  const batch = c.batch_size ?? null;
  if (c.input_shape != null)
    return readBatchShape([batch, ...(Array.isArray(c.input_shape) ? c.input_shape : [c.input_shape])]);
  if (c.input_dim != null && !VOCABULARY_INPUT_DIM.has(className ?? '')) return readBatchShape([batch, c.input_dim]);
  return undefined;
}

/** A config without its input-shape keys (only a model's first layer declares one). */
export function withoutBatchShape(c: Record<string, unknown>, className?: string): Record<string, unknown> {
  const own = VOCABULARY_INPUT_DIM.has(className ?? '');
  return Object.fromEntries(Object.entries(c).filter(([k]) => !BATCH_KEYS.includes(k) || (own && k === 'input_dim')));
}

/**
 * A layer from its Keras config. Throws a ConfigProblem (the caller adds file and layer); `ignored`
 * collects keys that were skipped because they only matter in training or are unknown.
 */
export function readLayer(className: string, c: Record<string, unknown>, ignored: string[]): Layer {
  const cls = layerClass(className)!;
  const spec = specOf(className)!;
  const generic = spec.passThrough === true;
  const args: Record<string, unknown> = {};
  const key = (k: string, read: () => unknown) => {
    try {
      return read();
    } catch (e) {
      if (e instanceof ConfigProblem) problem(`${k}: ${e.message}`);
      throw e;
    }
  };
  if (c.name !== undefined)
    args.name =
      typeof c.name === 'string' && c.name !== ''
        ? c.name
        : problem(`name must be a non-empty string, got ${show(c.name)}`);
  if (c.trainable !== undefined) args.trainable = key('trainable', () => boolean.read(c.trainable));
  const dtype = key('dtype', () => readDtype(c.dtype, spec.dtypes ?? ['float32']));
  if (dtype !== undefined && spec.dtypes) args.dtype = dtype;
  const batchShape = key('batch_input_shape', () => declaredBatchShape(c, className));
  if (batchShape) args.batchInputShape = batchShape;

  for (const [k, f] of Object.entries(spec.fields)) {
    if (!(k in c)) continue;
    const field = asField(f);
    const v = key(k, () => field.codec.read(c[k], ignored));
    if (v !== undefined) args[field.arg ?? toCamel(k)] = v;
  }
  if (generic) for (const k of Object.keys(c)) if (!COMMON.has(k) && !(k in spec.fields)) args[toCamel(k)] = c[k];
  for (const [k, allowed] of Object.entries(spec.only ?? {}))
    if (k in c && !allowed.includes(c[k]))
      problem(
        `${k} ${show(c[k])} is not supported (tensile supports ${
          allowed
            .filter((a) => a !== null)
            .map(show)
            .join(', ') || 'only null'
        })`,
      );
  for (const [k, v] of Object.entries(c)) {
    if (COMMON.has(k) || k in spec.fields || k in (spec.only ?? {}) || generic) continue;
    if (spec.trainingOnly?.includes(k)) {
      if (v !== null && v !== undefined)
        ignored.push(`${k} = ${show(v)} (used in training only; tensile has none yet)`);
    } else if (v !== null && v !== undefined && v !== false) ignored.push(`${k} = ${show(v)} (unknown key)`);
  }
  return new cls(args as never);
}

/** A layer's Keras config, as tfjs-layers writes it; `batchShape` for a model's first layer. */
export function writeLayer(layer: Layer, batchShape?: SymbolicShape): KerasObject {
  const spec = specOf(layer.className, layer);
  if (!spec)
    throw new ConfigProblem(
      `layer class '${layer.className}' is not registered (call registerLayer(${layer.className}) in its file), so it cannot be saved`,
    );
  const own = layer.getConfig();
  const config: Record<string, unknown> = { name: layer.name, trainable: layer.trainable, dtype: 'float32' };
  if (batchShape) config.batch_input_shape = [...batchShape];
  for (const [k, f] of Object.entries(spec.fields)) {
    const field = asField(f);
    const value = field.get ? field.get(layer) : own[field.arg ?? toCamel(k)];
    config[k] = field.codec.write(value) ?? null;
  }
  for (const [k, allowed] of Object.entries(spec.only ?? {})) if (allowed[0] !== null) config[k] = allowed[0];
  for (const k of spec.trainingOnly ?? []) config[k] = null;
  return { class_name: layer.className, config };
}
