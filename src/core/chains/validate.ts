// Validates a pattern typed by a user: the JSON Schema (interpreted here, for the subset it uses)
// and the cross-references a schema cannot say (step ids unique, links name steps, op/value types).

import type { Pattern } from './pattern';
import { patternSchema } from './pattern-schema';

export interface ValidationError {
  /** JSON path of the offending value, e.g. `$.steps[2].query.kind`. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; pattern: Pattern; errors: [] } | { ok: false; errors: ValidationError[] };

type Schema = { readonly [key: string]: unknown };

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const actual = typeOf(v);
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function check(schema: Schema, v: unknown, path: string, out: ValidationError[]): void {
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (anyOf) {
    if (!anyOf.some((s) => { const e: ValidationError[] = []; check(s, v, path, e); return e.length === 0; })) {
      out.push({ path, message: 'does not match any allowed form' });
    }
    return;
  }
  const type = schema.type as string | readonly string[] | undefined;
  if (type !== undefined) {
    const types = typeof type === 'string' ? [type] : type;
    if (!types.some((t) => typeMatches(t, v))) {
      out.push({ path, message: `must be ${types.join(' or ')}, not ${typeOf(v)}` });
      return;
    }
  }
  const en = schema.enum as readonly unknown[] | undefined;
  if (en && !en.includes(v)) out.push({ path, message: `must be one of ${en.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof v === 'string') {
    if (typeof schema.minLength === 'number' && v.length < schema.minLength) out.push({ path, message: 'must not be empty' });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(v)) out.push({ path, message: `must match ${schema.pattern}` });
  }
  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum) out.push({ path, message: `must be ≥ ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && v > schema.maximum) out.push({ path, message: `must be ≤ ${schema.maximum}` });
    if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) out.push({ path, message: `must be > ${schema.exclusiveMinimum}` });
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) out.push({ path, message: `needs at least ${schema.minItems} item(s)` });
    const items = schema.items as Schema | undefined;
    if (items) v.forEach((item, i) => check(items, item, `${path}[${i}]`, out));
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as readonly string[]) {
      if (!Object.hasOwn(obj, key)) out.push({ path, message: `missing required property "${key}"` });
    }
    for (const [key, value] of Object.entries(obj)) {
      // Own properties only: "constructor" or "__proto__" must not find Object.prototype's.
      const sub = Object.hasOwn(props, key) ? props[key] : undefined;
      if (sub) check(sub, value, `${path}.${key}`, out);
      else if (schema.additionalProperties === false) out.push({ path: `${path}.${key}`, message: `unknown property "${key}"` });
    }
  }
}

function checkReferences(p: Pattern, out: ValidationError[]): void {
  const ids = new Set<string>();
  p.steps.forEach((s, i) => {
    if (ids.has(s.id)) out.push({ path: `$.steps[${i}].id`, message: `duplicate step id "${s.id}"` });
    ids.add(s.id);
  });
  const queries = [
    ...p.steps.map((s, i) => ({ q: s.query, path: `$.steps[${i}].query` })),
    ...(p.absent ?? []).map((a, i) => ({ q: a.query, path: `$.absent[${i}].query` })),
  ];
  for (const { q, path } of queries) {
    if (q.kind === undefined && q.kinds === undefined) out.push({ path, message: 'needs "kind" or "kinds"' });
    if (q.kind !== undefined && q.kinds !== undefined) out.push({ path, message: 'use either "kind" or "kinds", not both' });
    (q.where ?? []).forEach((c, j) => {
      const at = `${path}.where[${j}].value`;
      if (c.op === 'in' && !Array.isArray(c.value)) out.push({ path: at, message: '"in" needs an array' });
      if (c.op !== 'in' && Array.isArray(c.value)) out.push({ path: at, message: `"${c.op}" needs a single value` });
      if ((c.op === 'gte' || c.op === 'lte') && typeof c.value !== 'number') out.push({ path: at, message: `"${c.op}" needs a number` });
    });
  }
  p.links.forEach((l, i) => {
    if (!ids.has(l.from)) out.push({ path: `$.links[${i}].from`, message: `no step "${l.from}"` });
    if (!ids.has(l.to)) out.push({ path: `$.links[${i}].to`, message: `no step "${l.to}"` });
    if (l.from === l.to) out.push({ path: `$.links[${i}]`, message: 'a link needs two different steps' });
    if (l.relation !== 'overlaps' && l.seconds === undefined) out.push({ path: `$.links[${i}].seconds`, message: `"${l.relation}" needs "seconds"` });
  });
  if (!p.steps.some((s) => s.required)) out.push({ path: '$.steps', message: 'at least one step must be required' });
}

/** Checks a parsed JSON value against the pattern format. */
export function validatePattern(json: unknown): ValidationResult {
  const errors: ValidationError[] = [];
  check(patternSchema, json, '$', errors);
  if (errors.length === 0) checkReferences(json as Pattern, errors);
  return errors.length === 0 ? { ok: true, pattern: json as Pattern, errors: [] } : { ok: false, errors };
}
