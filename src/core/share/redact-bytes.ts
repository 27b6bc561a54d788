// Length-preserving redaction of a bundle's files (custom training scenarios). An answer key names
// evidence by path and byte offset, so every sensitive value is replaced by a name of exactly its
// byte length: no line moves, every offset stays valid. The matchers are the share Redactor's.
//
// Bytes are matched as one character per byte: the rules only match ASCII, a replacement is ASCII of
// the same length, so a line's byte length cannot change, whatever its encoding (invalid UTF-8 included).

import { applyMatchers, redactionMatchers, type Matcher, type RedactionKind, type RedactionOptions, type Replacement } from './redact';

const NEWLINE = 0x0a;
const STEP = 0x8000;

function bytesToBinary(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += STEP) s += String.fromCharCode(...b.subarray(i, i + STEP));
  return s;
}

function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const textToBinary = (s: string) => bytesToBinary(new TextEncoder().encode(s));
const binaryToText = (s: string) => new TextDecoder().decode(binaryToBytes(s));

/**
 * `kind-N` filled with '-' to the value's length (ids and addresses keep their shape: the digits are
 * N, the separators stay, so whatever expects a hex id or an address still reads one).
 */
export function sameLengthName(kind: RedactionKind, n: number, value: string): string {
  if (kind === 'id' || kind === 'uid' || kind === 'ip') {
    const digit = kind === 'ip' && !value.includes(':') ? /\d/ : /[0-9a-f]/i;
    const ds = String(n);
    let k = ds.length;
    let out = '';
    for (let i = value.length - 1; i >= 0; i--) out = (digit.test(value[i]!) ? (k > 0 ? ds[--k]! : '0') : value[i]!) + out;
    return out;
  }
  const word = `${kind}-${n}`;
  const short = word.length <= value.length ? word : `${kind[0]}${n}`.slice(0, value.length);
  return short.padEnd(value.length, '-');
}

export class ByteRedactor {
  private readonly byValue = new Map<string, Replacement & { binary: string }>();
  private readonly counters = new Map<RedactionKind, number>();
  private readonly matchers: Matcher[];

  /** `learn`: matchers tried before the Redactor's (the learning pass's hostname prefix). */
  constructor(opts: RedactionOptions = {}, learn: Matcher[] = []) {
    const known: Partial<Record<RedactionKind, string[]>> = {};
    for (const [kind, values] of Object.entries(opts.known ?? {}) as [RedactionKind, string[]][]) known[kind] = values.map(textToBinary);
    this.matchers = [...learn, ...redactionMatchers({ known, patterns: opts.patterns })];
  }

  private name(kind: RedactionKind, value: string): string {
    const seen = this.byValue.get(value);
    if (seen) { seen.count++; return seen.binary; }
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const binary = sameLengthName(kind, n, value);
    this.byValue.set(value, { kind, value: binaryToText(value), placeholder: binaryToText(binary), binary, count: 1 });
    return binary;
  }

  /** Whole lines as one character per byte. */
  private lines(s: string): string {
    // What an earlier matcher replaced is not a value for a later one (positions never move).
    const replaced = new Uint8Array(s.length);
    return applyMatchers(s, this.matchers, (kind, value, at) => {
      if (value.includes('\n') || replaced.subarray(at, at + value.length).includes(1)) return null;
      replaced.fill(1, at, at + value.length);
      return this.name(kind, value);
    });
  }

  /** A file's chunks in, its redacted bytes out, a run of whole lines at a time. */
  *file(chunks: Iterable<Uint8Array>): Generator<Uint8Array> {
    let carry = new Uint8Array(0);
    for (const chunk of chunks) {
      const joined = carry.length ? concat(carry, chunk) : chunk;
      const end = joined.lastIndexOf(NEWLINE) + 1;
      if (end > 0) yield this.block(joined.subarray(0, end));
      carry = joined.slice(end);
    }
    if (carry.length) yield this.block(carry);
  }

  bytes(b: Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < b.length; i += 1 << 20) parts.push(b.subarray(i, i + (1 << 20)));
    return concat(...this.file(parts));
  }

  /** A text (a path, a title) with the same names as the files. */
  text(s: string): string {
    return binaryToText(this.lines(textToBinary(s)));
  }

  private block(b: Uint8Array): Uint8Array {
    const s = bytesToBinary(b);
    const out = this.lines(s);
    return out === s ? b : binaryToBytes(out);
  }

  replacements(): Replacement[] {
    return [...this.byValue.values()]
      .map(({ kind, value, placeholder, count }) => ({ kind, value, placeholder, count }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.placeholder.localeCompare(b.placeholder, undefined, { numeric: true }));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Kinds that, once seen under a rule (`pod="ns/name"`), are redacted wherever they appear (`pods=[ns/name]`). */
const LEARNED: RedactionKind[] = ['host', 'pod', 'image'];

/** The node name a journal or syslog line carries after its stamp: no rule knows a bare `k8s-worker-31` is a host. */
const SYSLOG_HOST: Matcher = {
  kind: 'host',
  re: /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) ([A-Za-z][\w.-]*) [\w.@-]+(?:\[\d+\])?:/gm,
  group: 1,
};

/**
 * A bundle's files redacted in two passes: the first learns the hosts, pods and images the rules find
 * anywhere, the second replaces them everywhere, paths included. The redactor names the same values
 * in the scenario's texts.
 */
export function redactBundleFiles(files: { path: string; bytes: Uint8Array }[], opts: RedactionOptions = {}): { files: { path: string; bytes: Uint8Array }[]; redactor: ByteRedactor } {
  const learner = new ByteRedactor(opts, [SYSLOG_HOST]);
  for (const f of files) {
    learner.text(f.path);
    learner.bytes(f.bytes);
  }
  const known: Partial<Record<RedactionKind, string[]>> = { ...opts.known };
  for (const r of learner.replacements()) if (LEARNED.includes(r.kind)) (known[r.kind] ??= []).push(r.value);
  const redactor = new ByteRedactor({ ...opts, known });
  return { files: files.map((f) => ({ path: redactor.text(f.path), bytes: redactor.bytes(f.bytes) })), redactor };
}
