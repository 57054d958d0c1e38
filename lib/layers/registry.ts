import type { Layer, LayerArgs } from './layer.js';

/** A layer class as save/load sees it: its Keras class name and a constructor from a config. */
export interface LayerClass {
  readonly className: string;
  new (args: never): Layer<LayerArgs>;
}

const classes = new Map<string, LayerClass>();

/** Declared in each layer's own file, so io/ can round-trip className + getConfig(). */
export function registerLayer(cls: LayerClass): void {
  classes.set(cls.className, cls);
}

export function layerClass(className: string): LayerClass | undefined {
  return classes.get(className);
}

export function layerClassNames(): string[] {
  return [...classes.keys()];
}
