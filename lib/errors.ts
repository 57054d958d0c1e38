/**
 * The one error type tensile throws for bad input: the message starts with the op or
 * API that refused, then says what was expected and what came.
 * @example
 * try { tl.matmul(a, b); } catch (e) { if (e instanceof tl.TensileError) console.log(e.op); }
 */
export class TensileError extends Error {
  override name = 'TensileError';
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}
