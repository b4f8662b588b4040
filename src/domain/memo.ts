/**
 * Remembers a pure function's results for string arguments, up to a bound (then starts over).
 * Time-zone arithmetic and Swedish date formatting cost tens of microseconds a call, and the
 * planner and the core ask about the same few hundred dates again and again.
 */
export function memo<A extends string[], R>(fn: (...args: A) => R, max = 20_000): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args: A) => {
    const key = args.length === 1 ? args[0]! : args.join('\u0000');
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      v = fn(...args);
      cache.set(key, v);
    }
    return v;
  };
}
