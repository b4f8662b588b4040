/**
 * Ends a switch that must handle every case (`default: return unreachable(x)`): when a new case
 * is added to the union, the compiler stops at each such switch until it is handled there.
 * At run time it throws, for input the types did not foresee; the message names no content.
 */
export function unreachable(value: never): never {
  void value;
  throw new Error('unhandled case');
}
