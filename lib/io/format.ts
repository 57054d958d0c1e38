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

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
