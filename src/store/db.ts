import Dexie, { type EntityTable } from 'dexie';
import type { ParsedEntry } from '../core/assemble';
import type { GoroutineDump, NodeEvent } from '../core/formats/types';
import type { Bundle, LineBlock, MetricSeries, Source, SourceFile } from '../core/model';
import type { SourceOutline } from '../core/outline';
import type { Attempt, ScoreReport } from '../core/training/score';
import { dumpHead, dumpRow, type StoredDumpHead, type StoredDumpRow } from './stored-dumps';

/** Stored line-index block: the core block plus its bundle for bulk deletion. */
export interface StoredBlock extends LineBlock {
  bundleId: string;
}

export type CausewayDb = Dexie & {
  bundles: EntityTable<Bundle, 'id'>;
  files: EntityTable<SourceFile, 'id'>;
  sources: EntityTable<Source, 'id'>;
  blocks: Dexie.Table<StoredBlock, [string, number]>;
  metrics: Dexie.Table<MetricSeries, [string, string]>;
  /** What parsing each file produced (sources, anchors, notes): re-assembled when time settings change. */
  entries: Dexie.Table<StoredEntry, string>;
  dumps: EntityTable<StoredDumpRow, 'id'>;
  events: EntityTable<StoredEvent, 'id'>;
  /** The user's notes and bookmarks on a bundle (schema v2). */
  notes: EntityTable<StoredNote, 'id'>;
  /** Chain patterns the user wrote (JSON text, validated before use; schema v2). */
  patterns: EntityTable<StoredPattern, 'id'>;
  /** Training attempts and their scores (schema v3). */
  attempts: EntityTable<StoredAttempt, 'id'>;
  /** Raw bytes of big dropped files, kept whole as Blobs (schema v4; smaller files go to OPFS packs). */
  rawBlobs: Dexie.Table<StoredRawBlob, string>;
  /** Each dump without its goroutines (schema v5): what lists and the timeline read. */
  dumpHeads: EntityTable<StoredDumpHead, 'id'>;
  /** Density and error lines of each source of a full index block or more (schema v6): what the timeline draws. */
  outlines: Dexie.Table<StoredOutline, string>;
};

export interface StoredOutline extends SourceOutline {
  bundleId: string;
}

export interface StoredRawBlob {
  key: string;
  bundleId: string;
  blob: Blob;
}

/** What a note is attached to, in this browser's ids (a share link converts them to paths). */
export type LocalNoteTarget =
  | { kind: 'range'; from: number; to: number }
  | { kind: 'line'; sourceId: string; offset: number; ts: number }
  | { kind: 'goroutine'; dumpId: string; goroutine: number }
  | { kind: 'step'; patternId: string; step: number };

export interface StoredNote {
  id: string;
  bundleId: string;
  target: LocalNoteTarget;
  text: string;
  createdAt: number;
}

export interface StoredPattern {
  id: string;
  json: string;
  enabled: boolean;
  updatedAt: number;
}

/** One scored exercise: what the trainee pinned and how it scored (exported for the trainer). */
export interface StoredAttempt extends Attempt {
  id: string;
  /** A built-in scenario id, or the title of an imported custom scenario. */
  scenario: string;
  seed: number | null;
  bundleId: string;
  score: ScoreReport;
  createdAt: number;
}

/** A goroutine dump as the app uses it: stored as a packed row and a head (stored-dumps.ts). */
export interface StoredDump extends GoroutineDump {
  id: string;
  bundleId: string;
  fileId: string;
  sourceId: string;
}

export interface StoredEvent extends NodeEvent {
  id: string;
  bundleId: string;
  fileId: string;
  sourceId: string;
}

export interface StoredEntry extends ParsedEntry {
  bundleId: string;
  /** The dropped input this came from (an archive yields several entries): resume skips finished inputs. */
  input: string;
}

export const DB_NAME = 'causeway';

/**
 * The one Dexie instance. Each schema change adds a version with its upgrade function here, and a
 * fixture of the previous version's data in db.test.ts proves the upgrade.
 */
export function openDb(name = DB_NAME): CausewayDb {
  // Relaxed: a commit returns once the OS has the data, without waiting for a disk flush. A crash
  // of the machine may lose the last commits; an ingest then shows as incomplete, with Resume.
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed' }) as CausewayDb;
  db.version(1).stores({
    bundles: 'id, fingerprint, probeKey, createdAt, status',
    files: 'id, bundleId',
    sources: 'id, bundleId, fileId',
    blocks: '[sourceId+block], bundleId, sourceId',
    metrics: '[sourceId+series], bundleId, sourceId',
    entries: 'fileId, bundleId',
    dumps: 'id, bundleId, fileId, sourceId',
    events: 'id, bundleId, fileId, sourceId, kind',
  });
  // v2: notes and user patterns. New tables only: existing rows need no rewrite.
  db.version(2).stores({
    notes: 'id, bundleId, createdAt',
    patterns: 'id, updatedAt',
  });
  // v3: training attempts. A new table only.
  db.version(3).stores({
    attempts: 'id, scenario, createdAt',
  });
  // v4: raw bytes of big files as Blobs. A new table only: packs stay where they are.
  db.version(4).stores({
    rawBlobs: 'key, bundleId',
  });
  // v5: dump heads beside the dumps, and the dumps' goroutines packed; both built here from the stored dumps.
  db.version(5).stores({
    dumpHeads: 'id, bundleId, fileId',
  }).upgrade(async (tx) => {
    // Row by row (a cursor), not all dumps at once: a browser can hold bundles with dumps of tens of MB each.
    const heads: StoredDumpHead[] = [];
    await tx.table('dumps').toCollection().modify((dump: StoredDump, ref: { value: unknown }) => {
      heads.push(dumpHead(dump));
      ref.value = dumpRow(dump);
    });
    await tx.table<StoredDumpHead, string>('dumpHeads').bulkPut(heads);
  });
  // v6: source outlines. A new table only: a source without one is drawn from its blocks, as before.
  db.version(6).stores({
    outlines: 'sourceId, bundleId',
  });
  return db;
}

let shared: CausewayDb | null = null;
export function db(): CausewayDb {
  shared ??= openDb();
  return shared;
}
