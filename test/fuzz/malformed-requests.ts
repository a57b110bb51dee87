// Malformed requests from valid ones: each takes a channel's valid request and breaks it with one to
// three mutations (a wrong type, a missing or extra field, a huge string, a `__proto__` key, deep
// nesting, a body that is not an object…). Only requests the contract must refuse are kept: the
// schema is the oracle, so a mutation that happens to leave the request valid is drawn again.
import type { Random } from './seeded-random';

type Path = (string | number)[];
type Node = Record<string, unknown> | unknown[];

export interface MalformedRequest {
  /** What the dispatcher receives in-process. */
  request: unknown;
  /** The same as an HTTP body (JSON text). */
  wire: string;
  /** Which mutations made it, for the failure message. */
  description: string;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null;

/** Every path to a value below the root, e.g. ['plan', 'steps', 0, 'name']. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (!isNode(value) || prefix.length > 12) return out;
  for (const key of Object.keys(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    pathsOf((value as Record<string, unknown>)[key], path, out);
  }
  return out;
}

function parentOf(root: unknown, path: Path): Node | undefined {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!isNode(node)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return isNode(node) ? node : undefined;
}

/** Sets an own property even for "__proto__" (assignment would change the prototype instead). */
function defineOwn(node: Node, key: string | number, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
}

/** A long string of mixed text: ASCII, accents, emoji, quotes, NUL and a lone surrogate now and then. */
export function hugeString(random: Random, min = 20_000, max = 200_000): string {
  const pieces = ['a', 'é', '💥', '"', "'", '\\', '\u0000', '%zz', '../', '<script>', ' ', '\n', '\ud800', 'knex_migrations'];
  const unit = Array.from({ length: 64 }, () => random.pick(pieces)).join('');
  return unit.repeat(Math.ceil(random.int(min, max) / unit.length));
}

function deepNesting(depth: number, asArray: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { nested: value };
  return value;
}

/** A value of another JSON type than `original`. */
function wrongTypeFor(original: unknown, random: Random): unknown {
  const kind = Array.isArray(original) ? 'array' : original === null ? 'null' : typeof original;
  const candidates: [string, () => unknown][] = [
    ['number', () => random.pick([0, -1, 1.5, 2 ** 53 + 2, -1e308, 42])],
    ['boolean', () => random.chance(0.5)],
    ['null', () => null],
    ['array', () => random.pick([[], [1, 'two'], [{}]])],
    ['object', () => random.pick([{}, { a: 1 }, { profileId: 1 }])],
    ['string', () => random.pick(['', 'x', 'true', '0', '[]', '{}', hugeString(random, 1000, 5000)])],
  ];
  const others = candidates.filter(([k]) => k !== kind);
  return random.pick(others)[1]();
}

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', '💥', 'profileId', 'x'.repeat(2000), 'then'];
const PROTO_PAYLOADS = [{ polluted: 'yes' }, { profileId: 'fuzz', isAdmin: true }, null, 'string', [1, 2]];

interface Mutation {
  name: string;
  /** Returns the new root (the same object mutated, or a replacement). */
  apply(root: unknown, random: Random): { root: unknown; note: string };
}

const pathText = (path: Path) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p.length > 20 ? `${p.slice(0, 20)}…` : p}`)).join('') || '(root)';

const mutations: Mutation[] = [
  {
    name: 'wrong type',
    apply(root, random) {
      const paths = pathsOf(root);
      if (!paths.length) return { root: wrongTypeFor(root, random), note: 'root' };
      const path = random.pick(paths);
      const parent = parentOf(root, path)!;
      const key = path[path.length - 1];
      defineOwn(parent, key, wrongTypeFor((parent as Record<string | number, unknown>)[key], random));
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'missing field',
    apply(root, random) {
      const paths = pathsOf(root).filter((p) => typeof p[p.length - 1] === 'string');
      if (!paths.length) return { root: undefined, note: 'whole body' };
      const path = random.pick(paths);
      delete (parentOf(root, path) as Record<string, unknown>)[path[path.length - 1] as string];
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'huge string',
    apply(root, random) {
      const paths = pathsOf(root);
      if (!paths.length || random.chance(0.1)) return { root: hugeString(random), note: 'root' };
      const path = random.pick(paths);
      defineOwn(parentOf(root, path)!, path[path.length - 1], hugeString(random));
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'extra field',
    apply(root, random) {
      const nodes = [[], ...pathsOf(root)].filter((p) => isNode(p.length ? (parentOf(root, p) as Record<string | number, unknown>)?.[p[p.length - 1]] : root));
      if (!isNode(root) || !nodes.length) return { root, note: 'none (not an object)' };
      const path = random.pick(nodes);
      const node = (path.length ? (parentOf(root, path) as Record<string | number, unknown>)[path[path.length - 1]] : root) as Node;
      const key = random.pick(EXTRA_KEYS);
      defineOwn(node, Array.isArray(node) ? node.length : key, random.pick([1, 'junk', null, { deep: true }, hugeString(random, 100, 1000)]));
      return { root, note: `${pathText(path)}.${key.slice(0, 20)}` };
    },
  },
  {
    name: '__proto__ key',
    apply(root, random) {
      if (!isNode(root)) return { root, note: 'none (not an object)' };
      const objects = [[], ...pathsOf(root)].filter((p) => {
        const v = p.length ? (parentOf(root, p) as Record<string | number, unknown>)?.[p[p.length - 1]] : root;
        return isNode(v) && !Array.isArray(v);
      });
      if (!objects.length) return { root, note: 'none (no object)' };
      const path = random.pick(objects);
      const node = (path.length ? (parentOf(root, path) as Record<string | number, unknown>)[path[path.length - 1]] : root) as Node;
      defineOwn(node, random.pick(['__proto__', 'constructor']), random.pick(PROTO_PAYLOADS));
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'not an object',
    apply(_root, random) {
      const body = random.pick<unknown>(['a string', 42, -0.5, true, false, [], [{}], ['profileId', 'fuzz'], '']);
      return { root: body, note: JSON.stringify(body) };
    },
  },
  {
    name: 'deep nesting',
    apply(root, random) {
      const paths = pathsOf(root);
      const nested = deepNesting(random.int(50, 400), random.chance(0.5));
      if (!paths.length) return { root: nested, note: 'root' };
      const path = random.pick(paths);
      defineOwn(parentOf(root, path)!, path[path.length - 1], nested);
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'odd number',
    apply(root, random) {
      const paths = pathsOf(root);
      if (!paths.length) return { root: random.pick([0, -1]), note: 'root' };
      const path = random.pick(paths);
      defineOwn(parentOf(root, path)!, path[path.length - 1], random.pick([-1, 0, 0.5, -0, 1e308, -1e308, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]));
      return { root, note: pathText(path) };
    },
  },
  {
    name: 'long array',
    apply(root, random) {
      const paths = pathsOf(root);
      const array = Array.from({ length: random.int(1000, 20_000) }, (_, i) => (random.chance(0.5) ? i : `item${i}`));
      if (!paths.length) return { root: array, note: 'root' };
      const path = random.pick(paths);
      defineOwn(parentOf(root, path)!, path[path.length - 1], array);
      return { root, note: pathText(path) };
    },
  },
];

/**
 * A request the contract must refuse, made from `valid` with one to three mutations; null when
 * `attempts` draws all left it valid. `isValid` is the contract's own check (the oracle).
 */
export function malformedRequest(valid: unknown, random: Random, isValid: (request: unknown) => boolean, attempts = 20): MalformedRequest | null {
  for (let attempt = 0; attempt < attempts; attempt++) {
    let root: unknown = structuredClone(valid);
    const notes: string[] = [];
    const count = random.int(1, 3);
    for (let i = 0; i < count; i++) {
      const mutation = random.pick(mutations);
      const result = mutation.apply(root, random);
      root = result.root;
      notes.push(`${mutation.name} at ${result.note}`);
    }
    let wire: string | undefined;
    try {
      wire = JSON.stringify(root);
    } catch {
      continue; // nothing a client could send
    }
    if (wire === undefined) wire = '';
    // Refused in memory (IPC, in-process) and as the JSON web mode parses (JSON drops undefined, -0 …).
    const parsedWire = wire === '' ? undefined : JSON.parse(wire);
    if (isValid(root) || isValid(parsedWire)) continue;
    return { request: root, wire, description: notes.join('; ') };
  }
  return null;
}

/** HTTP bodies that are not JSON at all, or not what the API takes. */
export function rawBodies(random: Random): { body: string | Buffer; description: string }[] {
  return [
    { body: '{', description: 'truncated object' },
    { body: '{"profileId": "no-such-profile",}', description: 'trailing comma' },
    { body: "{'profileId': 'fuzz'}", description: 'single quotes' },
    { body: '{"profileId": NaN}', description: 'NaN' },
    { body: '\ufeff{"profileId": "no-such-profile"}', description: 'byte order mark' },
    { body: '{"a": 1} {"b": 2}', description: 'two documents' },
    { body: 'undefined', description: 'undefined' },
    { body: '"\\ud800"', description: 'escaped lone surrogate' },
    { body: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80, 0x81]), description: 'binary junk' },
    { body: `{"profileId": "${'x'.repeat(random.int(1000, 10_000))}`, description: 'unterminated long string' },
    { body: '['.repeat(5000) + ']'.repeat(5000), description: '5,000 nested arrays' },
    { body: `{"__proto__": {"polluted": "yes"}, "profileId": "no-such-profile"}`, description: '__proto__ in JSON' },
    { body: `{"constructor": {"prototype": {"polluted": "yes"}}}`, description: 'constructor.prototype in JSON' },
  ];
}
