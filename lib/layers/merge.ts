import { TensileError } from '../errors.js';
import {
  add,
  concat,
  div,
  matmul,
  maximum,
  minimum,
  mul,
  reshape,
  scalar,
  sqrt,
  square,
  sub,
  sum,
  transpose,
} from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerArgs, type SymbolicShape, fmtSym, isShapeList } from './layer.js';
import { registerLayer } from './registry.js';

// Layers that merge a list of tensors: element-wise (add, subtract, multiply, average, maximum, minimum, with
// Keras' broadcasting), concatenate along an axis, and dot products between samples. Gradients come from the ops.

const shapesOf = (x: Tensor[]): SymbolicShape[] => x.map((t) => t.shape);

/** The list a merge layer takes: at least `min` tensors (or shapes), with the batch axis. */
function checkList(name: string, s: SymbolicShape | SymbolicShape[], min: number, max = Infinity): SymbolicShape[] {
  if (!isShapeList(s))
    throw new TensileError(
      name,
      `expects a list of ${min === max ? min : `at least ${min}`} inputs, got one tensor of shape ${fmtSym(s)}`,
    );
  if (s.length < min || s.length > max)
    throw new TensileError(
      name,
      `expects ${min === max ? `exactly ${min}` : `at least ${min}`} inputs, got ${s.length}: ${s.map(fmtSym).join(', ')}`,
    );
  return s;
}

/**
 * Keras' element-wise output shape: sample shapes aligned at the right (a shorter one gets size-1 axes after
 * the batch axis), each axis equal, 1 or unknown; the batch axes must agree.
 */
function elementwiseShape(name: string, shapes: SymbolicShape[]): SymbolicShape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const axisOf = (s: SymbolicShape, k: number) =>
    k === 0 ? s[0] : k < rank - s.length + 1 ? 1 : s[k - rank + s.length];
  const out: (number | null)[] = [];
  for (let k = 0; k < rank; k++) {
    const sizes = shapes.map((s) => axisOf(s, k));
    // The batch axes must agree exactly; a sample axis of size 1 broadcasts.
    const known = [...new Set(sizes.filter((d): d is number => d !== null && (k === 0 || d !== 1)))];
    if (known.length > 1)
      throw new TensileError(
        name,
        `inputs of shapes ${shapes.map(fmtSym).join(', ')} cannot be merged element-wise: axis ${k} has sizes ${known.join(' and ')}`,
      );
    out.push(known.length === 1 ? known[0] : sizes.includes(null) ? null : 1);
  }
  return out;
}

/** Bring every input to the same rank by size-1 axes after the batch axis (Keras' expand_dims(x, 1)), so ops broadcast by sample. */
function sameRank(xs: Tensor[]): Tensor[] {
  const rank = Math.max(...xs.map((x) => x.rank));
  return xs.map((x) =>
    x.rank === rank ? x : reshape(x, [x.shape[0], ...new Array<number>(rank - x.rank).fill(1), ...x.shape.slice(1)]),
  );
}

/** The element-wise merges: one reduction of the list by a binary op. */
abstract class ElementwiseMerge extends Layer {
  static override readonly argKeys: readonly string[] = [];
  protected abstract merge(xs: Tensor[]): Tensor;
  protected readonly minInputs: number = 2;
  protected readonly maxInputs: number = Infinity;
  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    elementwiseShape(this.name, checkList(this.name, s, this.minInputs, this.maxInputs));
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return elementwiseShape(this.name, checkList(this.name, s, this.minInputs, this.maxInputs));
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.checkInput(shapesOf(xs));
    return this.merge(sameRank(xs));
  }
}

/** Sum of the inputs. @example tl.layers.add().apply([a, b]) */
export class Add extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Add';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce(add, xs[0]);
  }
}
/** First input minus the second (exactly two). */
export class Subtract extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Subtract';
  protected override readonly minInputs = 2;
  protected override readonly maxInputs = 2;
  protected merge([a, b]: Tensor[]): Tensor {
    return sub(a, b);
  }
}
/** Element-wise product of the inputs. */
export class Multiply extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Multiply';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce(mul, xs[0]);
  }
}
/** Element-wise mean of the inputs. */
export class Average extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Average';
  protected merge(xs: Tensor[]): Tensor {
    return mul(xs.slice(1).reduce(add, xs[0]), scalar(1 / xs.length));
  }
}
/** Element-wise maximum of the inputs. */
export class Maximum extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Maximum';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce(maximum, xs[0]);
  }
}
/** Element-wise minimum of the inputs. */
export class Minimum extends ElementwiseMerge {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Minimum';
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce(minimum, xs[0]);
  }
}
for (const c of [Add, Subtract, Multiply, Average, Maximum, Minimum]) registerLayer(c);

/** Options of tl.layers.concatenate. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last; 0, the batch axis, is refused as in Keras). */
  axis?: number;
}

/** Joins the inputs along one axis; every other axis must agree. */
export class Concatenate extends Layer<ConcatenateArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Concatenate';
  static override readonly argKeys: readonly string[] = ['axis'];
  /** The axis the inputs are joined along (negative: from the end). */
  readonly axis: number;
  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis))
      throw new TensileError('layers.concatenate', `axis must be an integer, got ${String(args.axis)}`);
    this.axis = axis;
  }
  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    this.computeOutputShape(s);
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = checkList(this.name, s, 2);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const bad = () =>
      new TensileError(
        this.name,
        `cannot concatenate inputs of shapes ${shapes.map(fmtSym).join(', ')} along axis ${this.axis}: every other axis must agree`,
      );
    if (axis <= 0 || axis >= rank)
      throw new TensileError(
        this.name,
        `axis ${this.axis} is outside the sample axes of inputs of rank ${rank} (${shapes.map(fmtSym).join(', ')})`,
      );
    if (shapes.some((x) => x.length !== rank)) throw bad();
    const out = [...shapes[0]];
    for (const x of shapes.slice(1)) {
      for (let k = 0; k < rank; k++) {
        if (k === axis) out[k] = out[k] === null || x[k] === null ? null : out[k]! + x[k]!;
        else if (out[k] === null) out[k] = x[k];
        else if (x[k] !== null && x[k] !== out[k]) throw bad();
      }
    }
    return out;
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(shapesOf(xs));
    return concat(xs, this.axis < 0 ? this.axis + xs[0].rank : this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerLayer(Concatenate);

/** Options of tl.layers.dot. */
export interface DotArgs extends LayerArgs {
  /** The axis of each input to sum over: one for both, or [axis of the first, axis of the second] (not 0). */
  axes: number | [number, number];
  /** Divide each input by its L2 norm along its axis first, giving cosine similarities. Default false. */
  normalize?: boolean;
}

/**
 * Dot products between the samples of two inputs of rank 2 or 3 (Keras' batch_dot): [b, n]·[b, n] → [b, 1];
 * [b, m, k]·[b, k, n] over axes [2, 1] → [b, m, n].
 */
export class Dot extends Layer<DotArgs> {
  /** The Keras class name under which the layer is saved and loaded. */
  static override readonly className = 'Dot';
  static override readonly argKeys: readonly string[] = ['axes', 'normalize'];
  /** The axis of the first and of the second input summed over. */
  readonly axes: [number, number];
  /** Whether each input is L2-normalized along its axis first (cosine similarity). */
  readonly normalize: boolean;
  constructor(args: DotArgs) {
    super(args);
    const a: unknown = args.axes;
    const axes = typeof a === 'number' ? [a, a] : a;
    if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((x) => Number.isInteger(x)))
      throw new TensileError(
        'layers.dot',
        `axes must be an integer or a pair of integers, got ${JSON.stringify(a) ?? typeof a}`,
      );
    this.axes = [axes[0], axes[1]];
    this.normalize = args.normalize ?? false;
  }
  /** Both axes made non-negative and checked against the inputs' ranks. */
  private axesFor(shapes: SymbolicShape[]): [number, number] {
    const [r1, r2] = shapes.map((s) => s.length);
    if (r1 !== r2 || r1 < 2 || r1 > 3)
      throw new TensileError(
        this.name,
        `takes two inputs of the same rank, 2 or 3, got ${shapes.map(fmtSym).join(', ')}`,
      );
    const ax = this.axes.map((a, i) => (a < 0 ? a + shapes[i].length : a)) as [number, number];
    if (ax.some((a) => a <= 0 || a >= r1))
      throw new TensileError(
        this.name,
        `axes [${this.axes}] must name sample axes of inputs of rank ${r1} (not the batch axis 0)`,
      );
    const [d1, d2] = [shapes[0][ax[0]], shapes[1][ax[1]]];
    if (d1 !== null && d2 !== null && d1 !== d2)
      throw new TensileError(
        this.name,
        `axis ${ax[0]} of ${fmtSym(shapes[0])} has size ${d1} but axis ${ax[1]} of ${fmtSym(shapes[1])} has size ${d2}; they must agree`,
      );
    return ax;
  }
  protected override checkInput(s: SymbolicShape | SymbolicShape[]): void {
    this.axesFor(checkList(this.name, s, 2, 2));
  }
  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = checkList(this.name, s, 2, 2);
    const [a1, a2] = this.axesFor(shapes);
    const out = [...shapes[0].filter((_, i) => i !== a1), ...shapes[1].filter((_, i) => i !== 0 && i !== a2)];
    return out.length === 1 ? [out[0], 1] : out;
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const [a1, a2] = this.axesFor(checkList(this.name, shapesOf(xs), 2, 2));
    let [x, y] = xs;
    if (this.normalize) [x, y] = [l2Normalize(x, a1), l2Normalize(y, a2)];
    if (x.rank === 2) return sum(mul(x, y), { axis: 1, keepDims: true });
    // [b, i, k]·[b, k, j]: the summed axis last in x and first (after the batch) in y.
    const xm = a1 === 2 ? x : transpose(x, [0, 2, 1]);
    const ym = a2 === 1 ? y : transpose(y, [0, 2, 1]);
    return matmul(xm, ym);
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axes: this.axes[0] === this.axes[1] ? this.axes[0] : [...this.axes],
      normalize: this.normalize,
    };
  }
}
registerLayer(Dot);

/** x / ‖x‖ along an axis, the norm kept above 1e-6 as Keras' l2_normalize does (Σx² ≥ 1e-12). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), { axis, keepDims: true }), scalar(1e-12))));
}
