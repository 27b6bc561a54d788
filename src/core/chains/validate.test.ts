import { describe, expect, it } from 'vitest';
import { builtinPatterns } from './patterns';
import { validatePattern } from './validate';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const base = (): Record<string, unknown> => clone(builtinPatterns[0]) as unknown as Record<string, unknown>;
const paths = (json: unknown): string[] => {
  const r = validatePattern(json);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('validatePattern', () => {
  it('accepts every built-in pattern as JSON', () => {
    for (const p of builtinPatterns) expect(paths(clone(p)), p.id).toEqual([]);
  });

  it('reports wrong types, enums and unknown properties with JSON paths', () => {
    const p = base();
    const steps = p.steps as Record<string, unknown>[];
    (steps[1] as Record<string, unknown>).role = 'victim';
    (steps[2] as Record<string, unknown>).weight = '2';
    ((steps[3] as Record<string, unknown>).query as Record<string, unknown>).detectr = 'x';
    p.extra = true;
    const errs = paths(p);
    expect(errs.some((e) => e.startsWith('$.steps[1].role: must be one of'))).toBe(true);
    expect(errs).toContain('$.steps[2].weight: must be number, not string');
    expect(errs).toContain('$.steps[3].query.detectr: unknown property "detectr"');
    expect(errs).toContain('$.extra: unknown property "extra"');
  });

  it('reports missing required properties and non-objects', () => {
    expect(paths(null)).toEqual(['$: must be object, not null']);
    const p = base();
    delete p.remedy;
    expect(paths(p)).toContain('$: missing required property "remedy"');
    expect(paths({ ...base(), steps: [] })).toContain('$.steps: needs at least 1 item(s)');
    expect(paths({ ...base(), id: 'Bad Id' }).some((e) => e.startsWith('$.id: must match'))).toBe(true);
  });

  it('checks cross-references and operator values', () => {
    const p = base();
    const steps = p.steps as Record<string, unknown>[];
    (steps[1] as Record<string, unknown>).id = (steps[0] as Record<string, unknown>).id;
    (p.links as Record<string, unknown>[]).push({ from: 'nowhere', to: 'relist-stall', relation: 'precedes-within' });
    (steps[4] as Record<string, unknown>).query = { detector: 'runtime', kind: 'x', kinds: ['y'], where: [{ fact: 'n', op: 'gte', value: 'ten' }, { fact: 'c', op: 'in', value: 'x' }] };
    const errs = paths(p);
    const n = (p.links as unknown[]).length - 1;
    expect(errs).toContain('$.steps[1].id: duplicate step id "relist-stall"');
    expect(errs).toContain(`$.links[${n}].from: no step "nowhere"`);
    expect(errs).toContain(`$.links[${n}].seconds: "precedes-within" needs "seconds"`);
    expect(errs).toContain('$.steps[4].query: use either "kind" or "kinds", not both');
    expect(errs).toContain('$.steps[4].query.where[0].value: "gte" needs a number');
    expect(errs).toContain('$.steps[4].query.where[1].value: "in" needs an array');
  });

  it('needs a required step and a kind', () => {
    const p = base();
    for (const s of p.steps as Record<string, unknown>[]) s.required = false;
    ((p.steps as Record<string, unknown>[])[0] as Record<string, unknown>).query = { detector: 'pleg' };
    const errs = paths(p);
    expect(errs).toContain('$.steps: at least one step must be required');
    expect(errs).toContain('$.steps[0].query: needs "kind" or "kinds"');
  });
});
