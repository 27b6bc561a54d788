// The analysis file (`*.causeway.json`): the same content as a link, readable by people and tools.
//   {"causeway": "analysis", "state": {...}}           plain
//   {"causeway": "analysis", "protected": "1e.…"}      passphrase-protected (the link's token)

import { encodeShare } from '../../core/share/codec';
import { sharedStateSchema, type SharedState } from '../../core/share/state';

export async function analysisFileText(state: SharedState, passphrase?: string): Promise<string> {
  if (passphrase) return JSON.stringify({ causeway: 'analysis', protected: await encodeShare(state, { passphrase }) }, null, 1);
  return JSON.stringify({ causeway: 'analysis', state }, null, 1);
}

/** The share token of an analysis file, or a message saying why the file is not one. */
export async function tokenFromAnalysisFile(text: string): Promise<{ token: string } | { error: string }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON (damaged or not an analysis file)' };
  }
  if (typeof json !== 'object' || json === null || (json as { causeway?: unknown }).causeway !== 'analysis') return { error: 'not a Causeway analysis file' };
  const file = json as { state?: unknown; protected?: unknown };
  if (typeof file.protected === 'string') return { token: file.protected };
  const parsed = sharedStateSchema.safeParse(file.state);
  if (!parsed.success) return { error: `not a valid analysis (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'schema mismatch'})` };
  return { token: await encodeShare(parsed.data) };
}
