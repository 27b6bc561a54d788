// journalctl -o short-full / with-unit: `Tue 2024-12-31 23:59:59[.ffffff] IST host ident[pid]: …`.
// The date carries the year; a zone abbreviation is ambiguous (IST: India, Israel, Ireland), so
// only UTC/GMT and numeric offsets make the stamp absolute.
import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { US_PER_MIN } from '../time/civil';
import { zoneFromAnchors } from '../ingest';
import { layeredAnchors } from './layered-parser';
import { PrefixKind, newLinePrefix, peelPrefix } from './prefix';
import { detectFormat } from './registry';
import { syslogFormat } from './syslog';
import { pad, parseAll, pick, rng, showTs } from './test-helpers';
import { YearTracker } from '../time/civil';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** [abbreviation as tm_zone prints it, minutes east of UTC, whether the text alone fixes the instant]. */
const ZONES: readonly (readonly [string, number, boolean])[] = [
  // IST and CST name several zones: wall-clock time. CET, PST, JST… name one offset: exact.
  ['IST', 330, false], ['CST', 480, false], ['CET', 60, true], ['CEST', 120, true], ['PST', -480, true], ['EDT', -240, true],
  ['JST', 540, true], ['UTC', 0, true], ['GMT', 0, true], ['+0530', 330, true], ['-03', -180, true], ['+0545', 345, true],
];
const HOSTS = ['ip-10-0-1-5', 'wkr-mumbai-03', 'node-7.eu-central-1.compute.internal', 'k8s-cp-1'];

interface Expected { ts: number; local: boolean; level: Level; origin: string | null; continuation: boolean }

function stampText(utc: number, zoneMin: number, abbrev: string, precise: boolean): string {
  const d = new Date((utc + zoneMin * US_PER_MIN) / 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${WEEKDAYS[d.getUTCDay()]} ${date} ${clock}${precise ? '.' + pad(utc % 1e6, 6) : ''} ${abbrev}`;
}

/** A node's journal around new year in one zone: kubelet, containerd, kernel and systemd lines. */
function generate(seed: number, count: number) {
  const rand = rng(seed);
  const [abbrev, zone, absolute] = pick(rand, ZONES);
  const host = pick(rand, HOSTS);
  const precise = rand() < 0.5;
  const year = 2019 + Math.floor(rand() * 7);
  // Starts shortly before midnight of Dec 31 (node time), so the file crosses into the new year.
  let utc = (Date.UTC(year, 11, 31, 23, 50) - zone * 60_000) * 1000;
  const lines: string[] = [];
  const expected: Expected[] = [];
  lines.push(`-- Logs begin at ${stampText(utc, zone, abbrev, false)}, end at ${stampText(utc + 3600e6, zone, abbrev, false)}. --`);
  expected.push({ ts: NaN, local: false, level: Level.unknown, origin: null, continuation: true });
  for (let n = 0; n < count; n++) {
    utc += Math.floor(rand() * 8e6) * 1000 + 1;
    const head = `${stampText(utc, zone, abbrev, precise)} ${host}`;
    const prefixTs = precise ? utc : Math.floor(utc / 1e6) * 1e6;
    const kind = Math.floor(rand() * 4);
    if (kind === 0) {
      // kubelet: its klog stamp (process-local, a little before the journal's) is the time.
      const own = utc - 2500;
      const w = new Date((own + zone * US_PER_MIN) / 1000);
      const klog = `${pad(w.getUTCMonth() + 1, 2)}${pad(w.getUTCDate(), 2)} ${pad(w.getUTCHours(), 2)}:${pad(w.getUTCMinutes(), 2)}:${pad(w.getUTCSeconds(), 2)}.${pad(own % 1e6, 6)}`;
      lines.push(`${head} kubelet[1877]: W${klog}    1877 kubelet.go:2446] "SyncLoop (PLEG): event for pod" pod="kube-system/coredns-5d78c9869d-x7k2p"`);
      expected.push({ ts: own, local: true, level: Level.warn, origin: 'kubelet', continuation: false });
    } else if (kind === 1) {
      const own = utc - 1200;
      const iso = new Date(own / 1000).toISOString().slice(0, 19) + '.' + pad(own % 1e6, 6) + '000Z';
      lines.push(`${head} containerd[940]: time="${iso}" level=error msg="failed to delete task" error="context deadline exceeded: unknown"`);
      expected.push({ ts: own, local: false, level: Level.error, origin: 'containerd', continuation: false });
    } else if (kind === 2) {
      lines.push(`${head} kernel: EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Quota mode: none.`);
      expected.push({ ts: prefixTs, local: !absolute, level: Level.info, origin: 'kernel', continuation: false });
    } else {
      lines.push(`${head} systemd[1]: Started kubelet.service - kubelet: The Kubernetes Node Agent.`);
      expected.push({ ts: prefixTs, local: !absolute, level: Level.unknown, origin: 'systemd', continuation: false });
    }
  }
  return { lines, expected, zone, abbrev, absolute };
}

describe('journalctl -o short-full, generated exports', () => {
  for (let seed = 1; seed <= 24; seed++) {
    it(`seed ${seed}: per-line origin, the best time of each line, the year across Dec → Jan`, () => {
      const { lines, expected, zone, abbrev } = generate(seed, 150);
      // The year given is wrong on purpose: the stamps carry their own.
      const parsed = parseAll(syslogFormat, lines, { year: 2031, zoneOffsetMin: zone });
      parsed.forEach((p, n) => {
        const e = expected[n]!;
        const where = `${abbrev} ${n}: ${lines[n]}`;
        expect(showTs(p.ts), where).toBe(showTs(e.ts));
        expect(p.local, where).toBe(e.local);
        expect(levelNames[p.level], where).toBe(levelNames[e.level]);
        expect(p.origin, where).toBe(e.origin);
        expect(p.continuation, where).toBe(e.continuation);
      });
      expect(detectFormat({ path: 'journal.txt', lines }).format.id).toBe('syslog');
    });
  }

  it('learns the zone of an abbreviation from the absolute stamps beside it', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const { lines, zone, absolute } = generate(seed, 80);
      const anchors = layeredAnchors({ path: 'journal.txt', lines });
      expect(anchors.length, `seed ${seed}`).toBeGreaterThan(0);
      // An abbreviation is read as wall time: containerd's time= beside it tells the zone. A UTC or
      // numeric stamp is absolute already; klog's wall time beside it tells the zone then.
      expect(zoneFromAnchors(anchors), `seed ${seed}`).toBe(zone);
      if (!absolute) expect(anchors.every((a) => a.localAsUtcUs !== null)).toBe(true);
    }
  });
});

describe('short-full prefixes', () => {
  const peel = (line: string) => {
    const p = newLinePrefix();
    peelPrefix(line, p, new YearTracker(2000));
    return p;
  };

  it('reads the stamp, its fraction and the zone kinds', () => {
    const a = peel('Tue 2024-12-31 23:59:59.912345 IST ip-10-0-1-5 kubelet[1877]: I1231 23:59:59.912345    1877 kubelet.go:2446] "SyncLoop (PLEG): event for pod"');
    expect(a.kind).toBe(PrefixKind.full);
    expect(a.local).toBe(true);
    expect(showTs(a.ts)).toBe('2024-12-31T23:59:59.912345Z');
    expect(a.pid).toBe(1877);
    const b = peel('Wed 2025-01-01 05:29:59 +0530 ip-10-0-1-5 containerd[940]: time="2025-01-01T05:29:59.000000001+05:30" level=info msg="x"');
    expect(b.local).toBe(false);
    expect(showTs(b.ts)).toBe('2024-12-31T23:59:59.000000Z');
    const c = peel('Sat 2023-07-01 10:00:00 GMT node-1 systemd[1]: Started foo.');
    expect([c.local, showTs(c.ts)]).toEqual([false, '2023-07-01T10:00:00.000000Z']);
    const d = peel('Mon 2024-03-11 09:00:00 -03:00 node-1 systemd[1]: Started foo.');
    expect([d.local, showTs(d.ts)]).toEqual([false, '2024-03-11T12:00:00.000000Z']);
    // with-unit names the unit as the ident; CEST names one offset, so the stamp is exact.
    const e = peel('Fri 2024-06-07 08:00:00 CEST node-1 kubelet.service[1013]: E0607 08:00:00.100000    1013 x.go:1] "y"');
    expect([e.kind, e.local, showTs(e.ts)]).toEqual([PrefixKind.full, false, '2024-06-07T06:00:00.000000Z']);
    const f = peel('Mon 2024-01-15 21:00:00 PST node-1 systemd[1]: Started foo.');
    expect([f.local, showTs(f.ts)]).toEqual([false, '2024-01-16T05:00:00.000000Z']);
    // CST is China's or the US's: wall-clock time, placed with the bundle's zone.
    const g = peel('Mon 2024-01-15 21:00:00 CST node-1 systemd[1]: Started foo.');
    expect([g.local, showTs(g.ts)]).toEqual([true, '2024-01-15T21:00:00.000000Z']);
  });

  it('leaves look-alikes alone', () => {
    expect(peel('Tue 2024-12-31 23:59:59 and then some').kind).toBe(PrefixKind.none);
    expect(peel('Tuesday 2024-12-31 23:59:59 IST h k[1]: x').kind).toBe(PrefixKind.none);
    expect(peel('Tue 2024-12-31T23:59:59 IST h k[1]: x').kind).toBe(PrefixKind.none);
  });
});
