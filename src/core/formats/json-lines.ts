// Structured JSON logs one record per line, of the shapes node agents write besides logrus and klog:
// zap (`{"level":"info","ts":"2024-…Z"|1717307286.35,"caller":…,"msg":…}`: aws-node/ipamd,
// CNI and CSI plugins), bunyan-like and Elastic (`time`, `timestamp`, `@timestamp`, `severity`),
// and Docker's json-file driver (`{"log":"…\n","stream":"stderr","time":"…"}`, the container logs
// of dockershim and cri-dockerd nodes), whose `log` holds what the container printed: a klog or
// logrus record, or free text, read for its level. A Docker message without its final newline was
// cut at 16 KiB and goes on in the next line.
import { Level } from '../model';
import { appLevel, levelOfName } from './app-level';
import { stripAnsi } from './dmesg-line';
import { entryStart } from './journal-json';
import { lineEnd } from './prefix';
import { ProducerLevel } from './producer-level';
import { isoUtcUs, newIsoStamp, readIsoStamp } from '../time/civil';
import { newParsedLine, type FormatDef, type LineParser, type ParsedLine, type Sniff, type TimeAnchor } from './types';

// `requestReceivedTimestamp`: Kubernetes audit logs (control-plane nodes): when the request came in.
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', 't', 'requestReceivedTimestamp'] as const;
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'log.level'] as const;
/** Epoch numbers: seconds (zap) below this, milliseconds (klog JSON, bunyan-likes) above. */
const EPOCH_MS_FROM = 1e11;

type JsonRecord = Record<string, unknown>;

const stamp = newIsoStamp();

/** µs UTC of a record's time field: an RFC 3339 string with an offset, or epoch seconds/milliseconds. */
function recordTime(rec: JsonRecord): number {
  for (const key of TIME_KEYS) {
    const v = rec[key];
    if (typeof v === 'string') {
      if (readIsoStamp(v, 0, v.length, stamp) && stamp.offsetMin === stamp.offsetMin) return isoUtcUs(stamp);
    } else if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
      const us = v >= EPOCH_MS_FROM ? v * 1000 : v * 1e6;
      if (us < 1e17) return Math.floor(us);
    }
  }
  return NaN;
}

/** The record on a line (after collector layers and colour codes), or what a cut one still tells. */
function parseRecord(raw: string): JsonRecord | null {
  const line = raw.indexOf('\u001b') >= 0 ? stripAnsi(raw, lineEnd(raw)) : raw;
  const start = entryStart(line);
  if (start < 0) return null;
  try {
    const value: unknown = JSON.parse(start === 0 ? line : line.slice(start));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : null;
  } catch {
    return cutRecord(line, start);
  }
}

const CUT_KEYS = [...TIME_KEYS, ...LEVEL_KEYS];

/**
 * The time and level of a record JSON.parse refused (cut by a pager or a paste): complete
 * `"key":"value"` and `"key":number` pairs whose key quote is not escaped (inside a string every
 * quote is). Null without a time: a fragment is no record.
 */
function cutRecord(line: string, start: number): JsonRecord | null {
  const rec: JsonRecord = {};
  for (const key of CUT_KEYS) {
    const quoted = `"${key}"`;
    for (let k = line.indexOf(quoted, start); k >= 0; k = line.indexOf(quoted, k + 1)) {
      if (line.charCodeAt(k - 1) === 92) continue;
      const m = /^\s*:\s*(?:"([^"\\]*)"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)[,} ])/.exec(line.slice(k + quoted.length, k + quoted.length + 80));
      if (m) rec[key] = m[1] ?? Number(m[2]);
      break;
    }
  }
  return recordTime(rec) === recordTime(rec) ? rec : null;
}

function isDockerRecord(rec: JsonRecord): boolean {
  return typeof rec.log === 'string' && (rec.stream === 'stdout' || rec.stream === 'stderr');
}

class JsonLinesParser implements LineParser {
  private readonly producer = new ProducerLevel();
  private readonly scratch: ParsedLine = newParsedLine();
  /** The last Docker record's message had no final newline: the next record goes on with it. */
  private cut = false;

  parse(line: string, out: ParsedLine): void {
    const rec = parseRecord(line);
    if (!rec) {
      // A record wrapped or cut by a pager: text of the record before it.
      this.cut = false;
      out.continuation = true;
      return;
    }
    const continued = this.cut;
    const docker = isDockerRecord(rec);
    this.cut = docker && !(rec.log as string).endsWith('\n');
    if (continued && docker) {
      out.continuation = true;
      return;
    }
    out.ts = recordTime(rec);
    out.level = docker ? this.messageLevel(rec.log as string) : this.fieldLevel(rec);
  }

  private fieldLevel(rec: JsonRecord): Level {
    for (const key of LEVEL_KEYS) {
      const v = rec[key];
      if (typeof v === 'string') return levelOfName(v);
      // bunyan and pino: numeric levels 10 trace … 60 fatal.
      if (typeof v === 'number') return v >= 60 ? Level.fatal : v >= 50 ? Level.error : v >= 40 ? Level.warn : v >= 30 ? Level.info : v >= 20 ? Level.debug : Level.trace;
    }
    return Level.unknown;
  }

  private messageLevel(text: string): Level {
    const end = text.endsWith('\n') ? text.length - 1 : text.length;
    const s = this.scratch;
    s.level = Level.unknown;
    if (this.producer.read(text, 0, end, s)) return s.level;
    return appLevel(text, 0, end);
  }
}

function sniffRecords(sniff: Sniff): { heads: number; timed: number; sure: number } {
  let heads = 0;
  let timed = 0;
  let sure = 0;
  for (const line of sniff.lines) {
    if (line.trim() === '') continue;
    heads++;
    const rec = parseRecord(line);
    if (!rec) continue;
    // journalctl -o json and logrus JSON (`time` and `level` strings) have readers of their own.
    if ('__REALTIME_TIMESTAMP' in rec || '__CURSOR' in rec) continue;
    if (typeof rec.time === 'string' && typeof rec.level === 'string') continue;
    if (recordTime(rec) !== recordTime(rec)) continue;
    timed++;
    // Docker's records, and records naming a level (klog JSON never does), are no other format's.
    if (isDockerRecord(rec) || LEVEL_KEYS.some((key) => key in rec)) sure++;
  }
  return { heads, timed, sure };
}

export const jsonLinesFormat: FormatDef = {
  id: 'json-lines',
  title: 'JSON lines (zap, bunyan, Docker json-file container logs)',
  origin: 'unknown',
  originFromPath: true,
  detect(sniff) {
    const { heads, timed, sure } = sniffRecords(sniff);
    if (heads === 0 || timed === 0) return 0;
    // Sure records outrank klog JSON's reader (a zap record with `ts` first reads as klog JSON
    // too, at the wrong level); others stay below the readers of logrus and klog JSON.
    return sure * 2 >= timed ? 0.5 + 0.48 * (timed / heads) : 0.4 + 0.45 * (timed / heads);
  },
  createParser: () => new JsonLinesParser(),
  anchors(sniff) {
    const anchors: TimeAnchor[] = [];
    for (const line of sniff.lines) {
      const rec = parseRecord(line);
      const utcUs = rec ? recordTime(rec) : NaN;
      if (utcUs === utcUs) anchors.push({ utcUs, localAsUtcUs: null });
      if (anchors.length >= 4) break;
    }
    return anchors;
  },
  samples: [
    {
      line: '{"level":"info","ts":"2024-06-02T05:48:06.350Z","caller":"ipamd/ipamd.go:420","msg":"Starting L-IPAMD v1.18.1"}',
      iso: '2024-06-02T05:48:06.350000Z', level: Level.info,
    },
    {
      line: '{"level":"error","ts":1717307287.350695,"caller":"aws-k8s-agent/main.go:42","msg":"Failed to talk to API server","error":"dial tcp 10.100.0.1:443: i/o timeout"}',
      iso: '2024-06-02T05:48:07.350695Z', level: Level.error,
    },
    {
      line: '{"@timestamp":"2024-06-02T07:48:07.350+02:00","log.level":"warn","message":"slow endpoint regeneration"}',
      iso: '2024-06-02T05:48:07.350000Z', level: Level.warn,
    },
    {
      line: '{"name":"agent","hostname":"n1","pid":7,"level":50,"msg":"upload failed","time":"2024-06-02T05:48:08.000Z","v":0}',
      iso: '2024-06-02T05:48:08.000000Z', level: Level.error,
    },
    {
      line: '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"5f0e8c1a","stage":"ResponseComplete","requestURI":"/api/v1/nodes/n1","verb":"get","requestReceivedTimestamp":"2024-06-02T05:48:07.100000Z","stageTimestamp":"2024-06-02T05:48:07.104218Z"}',
      iso: '2024-06-02T05:48:07.100000Z',
    },
    {
      line: '{"log":"E0602 05:48:07.350601       1 reflector.go:147] failed to list *v1.Service\\n","stream":"stderr","time":"2024-06-02T05:48:07.350695123Z"}',
      iso: '2024-06-02T05:48:07.350695Z', level: Level.error,
    },
    {
      line: '{"log":"[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API\\n","stream":"stdout","time":"2024-06-02T05:48:09.1Z"}',
      iso: '2024-06-02T05:48:09.100000Z', level: Level.warn,
    },
  ],
};
