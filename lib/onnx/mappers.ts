import { TensileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { EVERYDAY } from './map-everyday.js';
import { ATTENTION } from './map-attention.js';
import { CONV } from './map-conv.js';
import { CORE } from './map-core.js';
import { MERGE } from './map-merge.js';
import { RECURRENT } from './map-recurrent.js';
import { WRAPPERS } from './map-wrappers.js';
import type { MappingEntry } from './mapping.js';

// Every layer class with an ONNX mapping. A class is matched exactly: a user's subclass of Dense may
// compute something else, so it is refused rather than exported as a Dense.

const ENTRIES: readonly MappingEntry[] = [
  ...CORE,
  ...EVERYDAY,
  ...CONV,
  ...RECURRENT,
  ...WRAPPERS,
  ...MERGE,
  ...ATTENTION,
];
const BY_CLASS = new Map<unknown, MappingEntry>(ENTRIES.map((e) => [e.cls, e]));

/** The mapping of a layer's class, or a TensileError naming the layer and what can be exported. */
export function mappingOf(layer: Layer): MappingEntry {
  const entry = BY_CLASS.get(layer.constructor);
  if (entry) return entry;
  throw new TensileError(
    'exportOnnx',
    `layer '${layer.name}' (${layer.className}) cannot be exported to ONNX: tensile has no ONNX mapping for ${layer.className}; exportable layers: ${exportableLayers().join(', ')}`,
  );
}

/** Class names with a mapping, and the ONNX ops each becomes. */
export function exportableLayers(): string[] {
  return ENTRIES.map((e) => (e.cls as unknown as { className: string }).className);
}
export function onnxOpsOf(className: string): string | undefined {
  return ENTRIES.find((e) => (e.cls as unknown as { className: string }).className === className)?.ops;
}
