// Partial deep matching for tests: every field of `expected` must be in `actual` with the same
// value (actual may have more fields); arrays must have the same length; an expected string
// written as /.../ is a regular expression; an expected null means the field is absent.
// Returns the first mismatch's path, or undefined.
export function mismatch(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (expected === null)
    return actual == null ? undefined : `${path}: expected absent, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'string' && /^\/.*\/$/.test(expected)) {
    return typeof actual === 'string' && new RegExp(expected.slice(1, -1)).test(actual)
      ? undefined
      : `${path}: ${JSON.stringify(actual)} does not match ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${path}: expected ${expected.length} items, got ${JSON.stringify(actual)}`;
    }
    for (const [i, e] of expected.entries()) {
      const m = mismatch(actual[i], e, `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, e] of Object.entries(expected)) {
      const m = mismatch((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return actual === expected
    ? undefined
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
