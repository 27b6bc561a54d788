/**
 * Mutations of real-shaped input: byte edits (flip, insert, delete, duplicate a range),
 * line edits (drop, duplicate, swap, cut), truncation, splices with another seed and blow-ups
 * (one range repeated up to ~1 MB, to expose work that grows faster than the input).
 * Everything is driven by an Rng, so a case is replayed from (seed, rng seed).
 */
import { below, pick, type Rng } from './rng';

/** Bytes that matter to the grammars and the archive readers: separators, escapes, magic. */
const INTERESTING: readonly (readonly number[])[] = [
  [0], [10], [13, 10], [13], [0x1b, 0x5b], [0x22], [0x5c], [0x7b], [0x7d], [0x5b], [0x5d], [0x3a], [0x20], [0x09],
  [0xff], [0xfe], [0xc0, 0x80], [0xe2, 0x80, 0xae], [0xef, 0xbf, 0xbd], [0xf0, 0x9f, 0x98], [0x1f, 0x8b], [0x50, 0x4b, 0x03, 0x04],
  [0x75, 0x73, 0x74, 0x61, 0x72, 0x00], [0x7f], [0x80], [0x30], [0x39], [0x2d], [0x2e],
];

/** Numbers that break size fields and counters when written over an archive header. */
const BOUNDARY_INTS = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff];

export interface MutateOptions {
  /** Other seeds to splice from. */
  others?: readonly Uint8Array[];
  /** Most edits applied to one case. */
  maxEdits?: number;
  /** Upper bound of a blow-up's output. */
  maxBytes?: number;
}

type Edit = (b: Uint8Array, rng: Rng, opts: Required<MutateOptions>) => Uint8Array;

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function range(b: Uint8Array, rng: Rng, maxLen = 64): [number, number] {
  const start = below(rng, b.length + 1);
  const len = below(rng, Math.min(maxLen, b.length - start) + 1);
  return [start, start + len];
}

/** Line boundaries of `b`: start offsets of each line (the byte after each LF). */
function lineStarts(b: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 10 && i + 1 < b.length) starts.push(i + 1);
  return starts;
}

function lineRange(b: Uint8Array, rng: Rng): [number, number] {
  const starts = lineStarts(b);
  const k = below(rng, starts.length);
  return [starts[k]!, starts[k + 1] ?? b.length];
}

const EDITS: readonly { weight: number; edit: Edit }[] = [
  { weight: 4, edit: (b, rng) => { // flip bits
    if (b.length === 0) return b;
    const out = b.slice();
    for (let n = 1 + below(rng, 4); n > 0; n--) {
      const at = below(rng, out.length);
      out[at] = out[at]! ^ (1 << below(rng, 8));
    }
    return out;
  } },
  { weight: 3, edit: (b, rng) => { // insert interesting bytes
    const at = below(rng, b.length + 1);
    return join(b.subarray(0, at), Uint8Array.from(pick(rng, INTERESTING)), b.subarray(at));
  } },
  { weight: 2, edit: (b, rng) => { // insert random bytes
    const at = below(rng, b.length + 1);
    const junk = Uint8Array.from({ length: 1 + below(rng, 16) }, () => below(rng, 256));
    return join(b.subarray(0, at), junk, b.subarray(at));
  } },
  { weight: 3, edit: (b, rng) => { // delete a range
    const [s, e] = range(b, rng);
    return join(b.subarray(0, s), b.subarray(e));
  } },
  { weight: 2, edit: (b, rng) => { // duplicate a range in place
    const [s, e] = range(b, rng, 512);
    return join(b.subarray(0, e), b.subarray(s, e), b.subarray(e));
  } },
  { weight: 2, edit: (b, rng) => { // overwrite with a boundary integer (little or big endian, or as octal text)
    if (b.length < 4) return b;
    const out = b.slice();
    const at = below(rng, out.length - 3);
    const v = pick(rng, BOUNDARY_INTS);
    const style = below(rng, 3);
    if (style === 0) new DataView(out.buffer).setUint32(at, v >>> 0, true);
    else if (style === 1) new DataView(out.buffer).setUint32(at, v >>> 0, false);
    else out.set(new TextEncoder().encode(v.toString(8)).subarray(0, out.length - at), at);
    return out;
  } },
  { weight: 3, edit: (b, rng) => { // drop a line
    const [s, e] = lineRange(b, rng);
    return join(b.subarray(0, s), b.subarray(e));
  } },
  { weight: 3, edit: (b, rng) => { // duplicate a line
    const [s, e] = lineRange(b, rng);
    return join(b.subarray(0, e), b.subarray(s, e), b.subarray(e));
  } },
  { weight: 2, edit: (b, rng) => { // swap two lines
    const [s1, e1] = lineRange(b, rng);
    const [s2, e2] = lineRange(b, rng);
    if (s1 === s2) return b;
    const [a, c] = s1 < s2 ? [[s1, e1], [s2, e2]] as const : [[s2, e2], [s1, e1]] as const;
    if (a[1] > c[0]) return b;
    return join(b.subarray(0, a[0]), b.subarray(c[0], c[1]), b.subarray(a[1], c[0]), b.subarray(a[0], a[1]), b.subarray(c[1]));
  } },
  { weight: 2, edit: (b, rng) => { // cut a line short (drop its tail up to the newline)
    const [s, e] = lineRange(b, rng);
    const cut = s + below(rng, Math.max(1, e - s));
    const nl = b[e - 1] === 10 ? e - 1 : e;
    return join(b.subarray(0, cut), b.subarray(nl));
  } },
  { weight: 2, edit: (b, rng) => b.subarray(0, below(rng, b.length + 1)) }, // truncate
  { weight: 2, edit: (b, rng, o) => { // splice: our head, another seed's tail (or lines of it inserted)
    if (o.others.length === 0) return b;
    const other = pick(rng, o.others);
    if (rng() < 0.5) return join(b.subarray(0, below(rng, b.length + 1)), other.subarray(below(rng, other.length + 1)));
    const [s, e] = lineRange(other, rng);
    const at = lineRange(b, rng)[0];
    return join(b.subarray(0, at), other.subarray(s, e), b.subarray(at));
  } },
  { weight: 1, edit: (b, rng, o) => { // blow up: one range repeated up to maxBytes
    const [s, e] = range(b, rng, 4096);
    if (e === s) return b;
    const times = Math.max(1, Math.floor((o.maxBytes - b.length) / (e - s) * rng()));
    const rep = new Uint8Array((e - s) * times);
    for (let k = 0; k < times; k++) rep.set(b.subarray(s, e), k * (e - s));
    return join(b.subarray(0, e), rep, b.subarray(e));
  } },
];

const TOTAL = EDITS.reduce((n, e) => n + e.weight, 0);

function pickEdit(rng: Rng): Edit {
  let r = rng() * TOTAL;
  for (const e of EDITS) {
    r -= e.weight;
    if (r < 0) return e.edit;
  }
  return EDITS[0]!.edit;
}

/** 1..maxEdits edits of `bytes` (the input is never modified). */
export function mutateBytes(bytes: Uint8Array, rng: Rng, options: MutateOptions = {}): Uint8Array {
  const opts: Required<MutateOptions> = { others: options.others ?? [], maxEdits: options.maxEdits ?? 6, maxBytes: options.maxBytes ?? 1 << 20 };
  let out = bytes;
  for (let n = 1 + below(rng, opts.maxEdits); n > 0; n--) {
    out = pickEdit(rng)(out, rng, opts);
    if (out.length > opts.maxBytes) out = out.subarray(0, opts.maxBytes);
  }
  return out;
}

/** A JSON value that is often almost right: wrong types, huge numbers, odd strings, deep nesting. */
export function oddJson(rng: Rng, depth = 0): unknown {
  const strings = ['', ' ', 'x', '__proto__', 'constructor', 'toString', '<img src=x onerror=alert(1)>', '\u202e', '\u0000', '(a+)+$', '[', 'overlaps', 'symptom', 'io', 'eq', 'in'];
  switch (below(rng, depth > 6 ? 6 : 9)) {
    case 0: return null;
    case 1: return rng() < 0.5;
    case 2: return pick(rng, [0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e-320]);
    case 3: return pick(rng, strings);
    case 4: return 'y'.repeat(below(rng, 3) === 0 ? 100_000 : 10);
    case 5: return below(rng, 1000);
    case 6: return Array.from({ length: below(rng, 4) }, () => oddJson(rng, depth + 1));
    case 7: return Object.fromEntries(Array.from({ length: below(rng, 4) }, () => [pick(rng, strings), oddJson(rng, depth + 1)]));
    default: {
      let v: unknown = 1; // deep nesting
      for (let k = below(rng, 500); k > 0; k--) v = [v];
      return v;
    }
  }
}

/** Structural edits of a parsed JSON document: replace, delete, add or duplicate one node. */
export function mutateJson(value: unknown, rng: Rng, edits = 1 + below(rng, 4)): unknown {
  let out = structuredClone(value);
  for (let n = 0; n < edits; n++) out = editNode(out, rng);
  return out;
}

function editNode(v: unknown, rng: Rng, depth = 0): unknown {
  const container = Array.isArray(v) || (typeof v === 'object' && v !== null);
  // Descend with probability 3/4 into a child (patterns are shallow: a deep value is junk we made); otherwise edit here.
  if (container && depth < 40 && rng() < 0.75) {
    if (Array.isArray(v)) {
      if (v.length === 0) return [oddJson(rng)];
      const k = below(rng, v.length);
      const action = below(rng, 6);
      if (action === 0) v.splice(k, 1);
      else if (action === 1) v.splice(k, 0, structuredClone(v[k]));
      else v[k] = editNode(v[k], rng, depth + 1);
      return v;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 0) return ownProperty({}, pick(rng, ['x', '__proto__', 'id']), oddJson(rng));
    const key = pick(rng, keys);
    const action = below(rng, 6);
    if (action === 0) delete obj[key];
    else if (action === 1) ownProperty(obj, pick(rng, ['extra', '__proto__', 'constructor', key + 'x']), oddJson(rng));
    else obj[key] = editNode(obj[key], rng, depth + 1);
    return obj;
  }
  return oddJson(rng);
}

/** Sets an own property even for "__proto__" (as JSON.parse does), never the prototype. */
function ownProperty(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}
