// The TensorFlow.js Layers format (model.json) as Keras, the tfjs converter and tfjs-layers write it.

/** A Keras-serialised object: class_name + config; Keras 3 adds module, registered_name and build_config. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
  module?: string | null;
  registered_name?: string | null;
}

/** One weight of a manifest group, in the order its bytes follow each other in the group's shards. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  /** tfjs converter's weight quantization: value = q·scale + min (uint8/uint16), or float16. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** Shards concatenated in order hold the group's weights, byte after byte. */
export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface ModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: {
    class_name: string;
    config: Record<string, unknown>;
    keras_version: string;
    backend: string;
  };
  weightsManifest: WeightGroup[];
  /** tfjs' free-form metadata; tensile notes its optimizer file here. */
  userDefinedMetadata?: { tensile?: { optimizer?: string } };
}

/** tfjs writes shards of at most 4 MiB. */
export const SHARD_BYTES = 4 * 1024 * 1024;
export const MODEL_JSON = 'model.json';
export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Deepest nesting a saved model's JSON may have: Keras and tfjs files nest a few tens of levels. */
export const MAX_JSON_DEPTH = 512;

/**
 * How deeply `value` nests arrays and objects, counted without recursion (a value nested deeper than the
 * stack would make any recursive reader throw RangeError), stopping once past `limit`.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) break;
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}
