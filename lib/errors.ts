/**
 * The one error type tensile throws for bad input: the message starts with the op or
 * API that refused, then says what was expected and what came.
 * @example
 * try { tl.matmul(a, b); } catch (e) { if (e instanceof tl.TensileError) console.log(e.op); }
 */
export class TensileError extends Error {
  /** The name. */
  override name = 'TensileError';
  constructor(
    /** The op, layer or function that failed (the start of the message). */
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}
