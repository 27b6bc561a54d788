// What a permalink or an analysis file carries: never the logs, only what the user chose to share.
// Validated with zod on the way in, so a tampered or hand-edited link is refused, not half-rendered.

import { z } from 'zod';

export const SHARE_VERSION = 1;

const us = z.number().finite();
const window = z.object({ from: us, to: us }).refine((w) => w.to >= w.from, 'window ends before it starts');

/** A lane, by what survives re-ingesting the same files elsewhere: path and origin (ids are local). */
const laneRef = z.object({ path: z.string().max(4096), origin: z.string().max(200) });

const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('range'), from: us, to: us }),
  z.object({ kind: z.literal('line'), lane: laneRef, offset: z.number().int().nonnegative(), ts: us }),
  z.object({ kind: z.literal('goroutine'), path: z.string().max(4096), process: z.string().max(200), goroutine: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('step'), patternId: z.string().max(200), step: z.number().int().nonnegative() }),
]);
export type NoteTarget = z.infer<typeof target>;

const excerpt = z.object({ path: z.string().max(4096), line: z.number().int().nonnegative(), ts: us.nullable(), text: z.string().max(2000) });

const step = z.object({
  role: z.string().max(40),
  title: z.string().max(500),
  explanation: z.string().max(2000),
  evidenceCount: z.number().int().nonnegative(),
  missing: z.string().max(1000).optional(),
  excerpts: z.array(excerpt).max(20).optional(),
});

const chain = z.object({
  patternId: z.string().max(200),
  title: z.string().max(500),
  confidence: z.number().min(0).max(1),
  from: us,
  to: us,
  steps: z.array(step).max(30),
  remedy: z.object({
    text: z.string().max(5000),
    snippets: z.array(z.object({ title: z.string().max(500), language: z.string().max(40), code: z.string().max(5000) })).max(10),
    references: z.array(z.string().max(1000)).max(20),
  }),
});

export const sharedStateSchema = z.object({
  v: z.literal(SHARE_VERSION),
  createdAt: us,
  bundle: z.object({ fingerprint: z.string().regex(/^[0-9a-f]{0,64}$/), name: z.string().max(1000) }),
  view: z.object({
    window: window.nullable(),
    filters: z.object({ text: z.string().max(2000), regex: z.boolean(), lanes: z.array(laneRef).max(500), minLevel: z.number().int().min(0).max(6) }),
    selection: target.nullable(),
    tab: z.enum(['logs', 'goroutines', 'chain', 'files']),
  }),
  chains: z.array(chain).max(10),
  notes: z.array(z.object({ id: z.string().max(100), target, text: z.string().max(10_000), createdAt: us })).max(500),
  /** What redaction replaced, by placeholder only (never the original value). */
  redacted: z.array(z.string().max(100)).max(10_000),
});

export type SharedState = z.infer<typeof sharedStateSchema>;
export type SharedChain = z.infer<typeof chain>;
export type SharedNote = SharedState['notes'][number];
