/**
 * The exhaustiveness check that closes every `switch` over a union: a new variant is a type error
 * here (its value is not `never`), and a value the types did not foresee (an older payload) throws
 * instead of falling through silently.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
