// Fuzzing the pattern validator with what a user may paste into the pattern editor: structural
// mutations of the built-in patterns and arbitrary JSON. It never throws; a refusal has paths
// and messages; an accepted pattern runs in the engine (fuzz/targets.ts) and has no key the
// schema does not define (every object in the format is closed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedJson, quick } from '../../../fuzz/arbitraries';
import { patternSeeds } from '../../../fuzz/corpus';
import { patternTarget } from '../../../fuzz/targets';
import { validatePattern } from './validate';

/** Keys no pattern object has, that an object inherits: a validator reading `props[key]` finds them. */
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

function ownKeysDeep(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => ownKeysDeep(x, out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { out.push(k); ownKeysDeep(x, out); }
  return out;
}

describe('validatePattern under fuzzing', () => {
  it('mutated built-in patterns', () => {
    fc.assert(fc.property(mutatedJson(patternSeeds()), (value) => {
      patternTarget(value);
      if (validatePattern(value).ok) expect(ownKeysDeep(value).filter((k) => INHERITED.includes(k))).toEqual([]);
    }), quick(300));
  });

  it('arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => patternTarget(value)), quick(200));
  });

  it.each(INHERITED)('refuses an own "%s" key where the schema allows none', (key) => {
    const [seed] = patternSeeds() as Record<string, unknown>[];
    const value = JSON.parse(JSON.stringify(seed).replace(/^\{/, `{"${key}":1,`)) as unknown;
    const result = validatePattern(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path: `$.${key}`, message: `unknown property "${key}"` });
  });
});
