// Permalink codec: state → JSON → deflate → (optional AES-GCM) → base64url, all with web platform
// APIs (CompressionStream, WebCrypto) so it runs the same in the page, workers and Node.
//   plain:     "1.<deflated JSON>"
//   protected: "1e.<salt>.<iv>.<ciphertext of the deflated JSON>" — only the version is readable.

import { SHARE_VERSION, sharedStateSchema, type SharedState } from './state';

export const PBKDF2_ITERATIONS = 600_000;
/** A decoded state bigger than this is refused: a link is not a way to ship a decompression bomb. */
const MAX_JSON_BYTES = 2 << 20;

export type ShareErrorCode = 'malformed' | 'truncated' | 'future-version' | 'invalid' | 'needs-passphrase' | 'wrong-passphrase';

export class ShareError extends Error {
  constructor(readonly code: ShareErrorCode, message: string) {
    super(message);
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('malformed', 'the link contains characters a share link never has');
  // No base64 text is 1 character past a multiple of 4: that is a link cut when copied.
  if (text.length % 4 === 1) throw new ShareError('truncated', 'the link is incomplete (was it cut when copied?)');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new ShareError('malformed', 'the link is not valid base64url (was it cut when copied?)');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, cap: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    total += r.value.length;
    if (total > cap) {
      await reader.cancel();
      throw new ShareError('invalid', 'the link expands to more data than any analysis holds');
    }
    parts.push(r.value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export const deflate = (bytes: Uint8Array) => pipe(bytes, new CompressionStream('deflate-raw'), Infinity);

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_JSON_BYTES);
  } catch (err) {
    if (err instanceof ShareError) throw err;
    throw new ShareError('truncated', 'the link is damaged or incomplete (was it cut when copied?)');
  }
}

async function deriveKey(passphrase: string, salt: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: PBKDF2_ITERATIONS },
    base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'],
  );
}

export async function encodeShare(state: SharedState, opts: { passphrase?: string } = {}): Promise<string> {
  const valid = sharedStateSchema.parse(state);
  const packed = await deflate(new TextEncoder().encode(JSON.stringify(valid)));
  if (!opts.passphrase) return `${SHARE_VERSION}.${toBase64Url(packed)}`;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(opts.passphrase, salt);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, packed as BufferSource));
  return `${SHARE_VERSION}e.${toBase64Url(salt)}.${toBase64Url(iv)}.${toBase64Url(sealed)}`;
}

/** What a token says before any work: its version and whether it needs a passphrase. */
export function peekShare(token: string): { version: number; encrypted: boolean } {
  const m = /^(\d{1,6})(e?)\./.exec(token);
  if (!m) throw new ShareError('malformed', 'this is not a Causeway share link');
  return { version: Number(m[1]), encrypted: m[2] === 'e' };
}

export async function decodeShare(token: string, passphrase?: string): Promise<SharedState> {
  const { version, encrypted } = peekShare(token.trim());
  if (version > SHARE_VERSION) throw new ShareError('future-version', `this link was made by a newer Causeway (format ${version}; this page reads up to ${SHARE_VERSION}): open it with an up-to-date copy`);
  if (version < 1) throw new ShareError('malformed', `unknown share format ${version}`);
  const parts = token.trim().split('.');
  let packed: Uint8Array;
  if (encrypted) {
    if (parts.length !== 4) throw new ShareError('truncated', 'the protected link is incomplete (was it cut when copied?)');
    if (!passphrase) throw new ShareError('needs-passphrase', 'this link is protected by a passphrase');
    const [salt, iv, sealed] = [fromBase64Url(parts[1]!), fromBase64Url(parts[2]!), fromBase64Url(parts[3]!)];
    if (salt.length !== 16 || iv.length !== 12 || sealed.length < 17) throw new ShareError('truncated', 'the protected link is incomplete (was it cut when copied?)');
    const key = await deriveKey(passphrase, salt);
    try {
      packed = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, sealed as BufferSource));
    } catch {
      // GCM cannot tell a wrong passphrase from a tampered link: both fail authentication.
      throw new ShareError('wrong-passphrase', 'wrong passphrase, or the link was altered');
    }
  } else {
    if (parts.length !== 2) throw new ShareError('malformed', 'this is not a Causeway share link');
    packed = fromBase64Url(parts[1]!);
  }
  const json = await inflate(packed);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new ShareError('truncated', 'the link is damaged (its content is not readable)');
  }
  const parsed = sharedStateSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ShareError('invalid', `the link's content is not a valid analysis (${first ? `${first.path.join('.') || 'state'}: ${first.message}` : 'schema mismatch'})`);
  }
  return parsed.data;
}
