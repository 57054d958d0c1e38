import { TensileError } from '../errors.js';
import type { LayersModel } from './model.js';

/** Options of model.save. */
export interface SaveOptions {
  /**
   * Also write the optimizer (class, config, step count, slots) and the compile arguments beside
   * model.json, so that a loaded model resumes fit exactly where this one stopped. Default false.
   */
  includeOptimizer?: boolean;
}

/** What model.save resolves to. */
export interface SaveResult {
  /** Every file written, model.json first. */
  files: string[];
  /** Bytes of weight data (float32). */
  weightBytes: number;
}

/** What model.save calls: io/save.ts installs the TF.js Layers writer when it loads (io sits above models). */
export type ModelWriter = (model: LayersModel, url: string, options: SaveOptions) => Promise<SaveResult>;

let writer: ModelWriter | null = null;

/** @internal */
export function setModelWriter(w: ModelWriter): void {
  writer = w;
}

/** @internal The installed writer, or a TensileError saying which module installs it. */
export function modelWriter(): ModelWriter {
  if (!writer)
    throw new TensileError('save', 'no model writer is loaded: import tensile (or its io module) before saving');
  return writer;
}
