/**
 * Enum, domain, composite and range type changes. Enum values can only be added (before or after
 * an existing one): a removed or reordered value makes that direction fail with a clear message,
 * since PostgreSQL cannot drop an enum value.
 */
import type { CompositeType, DomainType, EnumType, RangeType, SchemaSnapshot } from '../../shared/schema';
import { commentOn, createComposite, createDomain, createEnum, createRange } from '../schema/object-ddl';
import { qualify, quoteIdent, quoteLiteral } from '../schema/sql-quoting';
import { type MigrationStep, raw } from './migration-steps';

export interface TypeChanges {
  /** Early: new types, added enum values, altered domains and composites. */
  create: MigrationStep[];
  /** Late: types nothing uses any more (composites, domains, ranges, enums). */
  drop: MigrationStep[];
  /** Messages for changes PostgreSQL cannot make: the direction fails with them. */
  irreversible: string[];
  warnings: string[];
}

const id = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

export function planTypeChanges(from: SchemaSnapshot, to: SchemaSnapshot): TypeChanges {
  // Created in this order (ranges and domains may use enums, composites any of them) and dropped in reverse.
  const parts: TypeChanges[] = [];
  const part = () => {
    const p: TypeChanges = { create: [], drop: [], irreversible: [], warnings: [] };
    parts.push(p);
    return p;
  };
  planEnums(from.enums, to.enums, part());
  if (from.ranges !== undefined && to.ranges !== undefined) planSimple(from.ranges, to.ranges, 'type', createRange, part(), (a, b) => a.subtype === b.subtype);
  if (from.domains !== undefined && to.domains !== undefined) planDomains(from.domains, to.domains, part());
  if (from.composites !== undefined && to.composites !== undefined) planComposites(from.composites, to.composites, part());
  return {
    create: parts.flatMap((p) => p.create),
    drop: [...parts].reverse().flatMap((p) => p.drop),
    irreversible: parts.flatMap((p) => p.irreversible),
    warnings: parts.flatMap((p) => p.warnings),
  };
}

function planEnums(before: readonly EnumType[], after: readonly EnumType[], changes: TypeChanges): void {
  const old = new Map(before.map((e) => [id(e), e]));
  const now = new Set(after.map(id));
  for (const e of after) {
    const was = old.get(id(e));
    if (!was) {
      changes.create.push(...createEnum(e).map((sql) => raw(sql)));
      continue;
    }
    const name = qualify(e.schema, e.name);
    if (was.values.join('\u0000') !== e.values.join('\u0000')) {
      const kept = e.values.filter((v) => was.values.includes(v));
      if (kept.length !== was.values.length || kept.some((v, i) => v !== was.values[i])) {
        const removed = was.values.filter((v) => !e.values.includes(v));
        changes.irreversible.push(
          removed.length
            ? `PostgreSQL cannot drop a value from an enum: ${id(e)} would lose ${removed.map((v) => `'${v}'`).join(', ')}. Recreate the type by hand (rename it, create the new one, convert the columns, drop the old) if you must.`
            : `PostgreSQL cannot reorder the values of an enum: ${id(e)} (${was.values.join(', ')} → ${e.values.join(', ')}).`,
        );
      } else {
        e.values.forEach((value, index) => {
          if (was.values.includes(value)) return;
          const next = e.values.slice(index + 1).find((v) => was.values.includes(v));
          const previous = e.values.slice(0, index).reverse().find((v) => was.values.includes(v) || e.values.indexOf(v) < index);
          const where = next !== undefined ? ` before ${quoteLiteral(next)}` : previous !== undefined ? ` after ${quoteLiteral(previous)}` : '';
          changes.create.push(raw(`alter type ${name} add value ${quoteLiteral(value)}${where}`));
        });
      }
    }
    if (was.comment !== undefined && e.comment !== undefined && (was.comment ?? null) !== (e.comment ?? null)) changes.create.push(raw(commentOn(`type ${name}`, e.comment ?? null)));
  }
  for (const e of before) if (!now.has(id(e))) changes.drop.push(raw(`drop type ${qualify(e.schema, e.name)}`));
}

function planSimple<T extends { schema: string; name: string; comment: string | null }>(
  before: readonly T[],
  after: readonly T[],
  word: 'type',
  create: (t: T) => string[],
  changes: TypeChanges,
  sameShape: (a: T, b: T) => boolean,
): void {
  const old = new Map(before.map((t) => [id(t), t]));
  const now = new Set(after.map(id));
  for (const t of after) {
    const was = old.get(id(t));
    if (!was) changes.create.push(...create(t).map((sql) => raw(sql)));
    else if (!sameShape(was, t)) changes.irreversible.push(`${id(t)} changed in a way PostgreSQL cannot alter in place: drop and recreate it by hand.`);
    else if (was.comment !== t.comment) changes.create.push(raw(commentOn(`${word} ${qualify(t.schema, t.name)}`, t.comment)));
  }
  for (const t of before) if (!now.has(id(t))) changes.drop.push(raw(`drop ${word} ${qualify(t.schema, t.name)}`));
}

function planDomains(before: readonly DomainType[], after: readonly DomainType[], changes: TypeChanges): void {
  const old = new Map(before.map((d) => [id(d), d]));
  const now = new Set(after.map(id));
  for (const d of after) {
    const was = old.get(id(d));
    if (!was) {
      changes.create.push(...createDomain(d).map((sql) => raw(sql)));
      continue;
    }
    const name = qualify(d.schema, d.name);
    if (was.type !== d.type || was.collation !== d.collation) {
      changes.irreversible.push(`The base type or collation of domain ${id(d)} changed (${was.type} → ${d.type}): PostgreSQL cannot alter that in place; drop and recreate it by hand.`);
      continue;
    }
    if (was.default !== d.default) changes.create.push(raw(`alter domain ${name} ${d.default === null ? 'drop default' : `set default ${d.default}`}`));
    if (was.notNull !== d.notNull) changes.create.push(raw(`alter domain ${name} ${d.notNull ? 'set' : 'drop'} not null`));
    const oldChecks = new Map(was.constraints.map((c) => [c.name, c.definition]));
    const newChecks = new Map(d.constraints.map((c) => [c.name, c.definition]));
    for (const c of was.constraints) if (newChecks.get(c.name) !== c.definition) changes.create.push(raw(`alter domain ${name} drop constraint ${quoteIdent(c.name)}`));
    for (const c of d.constraints) if (oldChecks.get(c.name) !== c.definition) changes.create.push(raw(`alter domain ${name} add constraint ${quoteIdent(c.name)} ${c.definition}`));
    if (was.comment !== d.comment) changes.create.push(raw(commentOn(`domain ${name}`, d.comment)));
  }
  for (const d of before) if (!now.has(id(d))) changes.drop.push(raw(`drop domain ${qualify(d.schema, d.name)}`));
}

function planComposites(before: readonly CompositeType[], after: readonly CompositeType[], changes: TypeChanges): void {
  const old = new Map(before.map((t) => [id(t), t]));
  const now = new Set(after.map(id));
  for (const t of after) {
    const was = old.get(id(t));
    if (!was) {
      changes.create.push(...createComposite(t).map((sql) => raw(sql)));
      continue;
    }
    const name = qualify(t.schema, t.name);
    const oldAttrs = new Map(was.attributes.map((a) => [a.name, a]));
    const newAttrs = new Map(t.attributes.map((a) => [a.name, a]));
    const actions: string[] = [];
    for (const a of was.attributes) if (!newAttrs.has(a.name)) actions.push(`drop attribute ${quoteIdent(a.name)}`);
    for (const a of t.attributes) {
      const prior = oldAttrs.get(a.name);
      const declared = `${a.type}${a.collation ? ` collate ${a.collation}` : ''}`;
      if (!prior) actions.push(`add attribute ${quoteIdent(a.name)} ${declared}`);
      else if (prior.type !== a.type || prior.collation !== a.collation) actions.push(`alter attribute ${quoteIdent(a.name)} type ${declared}`);
    }
    if (actions.length) changes.create.push(raw(`alter type ${name} ${actions.join(', ')}`));
    if (was.comment !== t.comment) changes.create.push(raw(commentOn(`type ${name}`, t.comment)));
  }
  for (const t of before) if (!now.has(id(t))) changes.drop.push(raw(`drop type ${qualify(t.schema, t.name)}`));
}

export type { RangeType };
