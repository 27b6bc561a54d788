import { describe, expect, it } from 'vitest';
import { fmtZone } from './align';
import { analyzeInputs } from './analyze';
import { memInput } from './bundle/test-helpers';
import { rng } from './formats/test-helpers';
import { generateScenario } from './scenarios';

// Two nodes of different zones in one bundle: each journal's own lines (a wall clock beside an
// absolute stamp) tell its zone, so each node's kubelet lines land at their true UTC time,
// whatever zone the bundle as a whole votes for.

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZONES = [-600, -300, -210, 0, 60, 120, 330, 345, 480, 525, 765, 840];
const p2 = (n: number) => String(n).padStart(2, '0');

/** The wall-clock fields of a UTC instant read in a zone. */
function wall(utcUs: number, zoneMin: number) {
  const d = new Date(Math.floor(utcUs / 1000) + zoneMin * 60_000);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth(), d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), us: utcUs % 1_000_000 };
}

function klog(utcUs: number, zoneMin: number, pid: number, msg: string): string {
  const w = wall(utcUs, zoneMin);
  return `I${p2(w.mo + 1)}${p2(w.d)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${String(w.us).padStart(6, '0')}    ${pid} kubelet.go:2${pid % 100}] "${msg}" pod="ns-${pid}/web-${msg.length}"`;
}

/** `journalctl -o short-iso`: the prefix carries the node's offset, kubelet's klog stamp its wall clock. */
function shortIsoJournal(host: string, zoneMin: number, times: number[]): string {
  const off = `${zoneMin < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(zoneMin) / 60))}${p2(Math.abs(zoneMin) % 60)}`;
  return times.map((t, i) => {
    const w = wall(t + 800, zoneMin); // journald stamps the line on arrival, a little later
    return `${w.y}-${p2(w.mo + 1)}-${p2(w.d)}T${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}${off} ${host} kubelet[1680]: ${klog(t, zoneMin, 1680, `sync ${i}`)}`;
  }).join('\n') + '\n';
}

/** `journalctl -o short-precise`: local prefixes only, containerd's `time="…Z"` gives the zone. */
function shortJournal(host: string, zoneMin: number, times: number[]): string {
  return times.map((t, i) => {
    const w = wall(t + 800, zoneMin);
    const prefix = `${MON[w.mo]} ${p2(w.d)} ${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${String(w.us).padStart(6, '0')} ${host}`;
    if (i % 2 === 0) return `${prefix} kubelet[911]: ${klog(t, zoneMin, 911, `relist ${i}`)}`;
    return `${prefix} containerd[702]: time="${new Date(t / 1000).toISOString()}" level=info msg="event ${i}"`;
  }).join('\n') + '\n';
}

const enc = new TextEncoder();
const iso = (us: number) => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;

describe('a bundle of nodes in several zones', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const r = rng(seed * 7919);
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const zoneA = pick(ZONES);
    let zoneB = pick(ZONES);
    while (zoneB === zoneA) zoneB = pick(ZONES);
    const start = Date.UTC(2022 + Math.floor(r() * 4), Math.floor(r() * 12), 1 + Math.floor(r() * 27), Math.floor(r() * 24), Math.floor(r() * 60)) * 1000 + Math.floor(r() * 1e6);
    const timesA = Array.from({ length: 20 + Math.floor(r() * 30) }, (_, i) => start + i * 1_700_000 + Math.floor(r() * 1e6));
    const timesB = Array.from({ length: 20 + Math.floor(r() * 30) }, (_, i) => start + 400_000 + i * 2_300_000 + Math.floor(r() * 1e6));

    it(`seed ${seed}: node-a at UTC${fmtZone(zoneA)} and node-b at UTC${fmtZone(zoneB)} both land at their true times`, async () => {
      const summary = await analyzeInputs([
        memInput('node-a/journal.txt', enc.encode(shortIsoJournal('node-a', zoneA, timesA))),
        memInput('node-b/journal.txt', enc.encode(shortJournal('node-b', zoneB, timesB))),
      ], { parseOnly: true });
      const kubelet = (host: string) => summary.files.find((f) => f.path.startsWith(host) && f.origin === 'kubelet');
      const a = kubelet('node-a');
      const b = kubelet('node-b');
      expect(a?.firstTs).toBe(iso(timesA[0]!));
      expect(a?.lastTs).toBe(iso(timesA.at(-1)!));
      expect(b?.firstTs).toBe(iso(timesB[0]!));
      expect(b?.lastTs).toBe(iso(timesB.filter((_, i) => i % 2 === 0).at(-1)!));
      expect(b?.zone).toBe(fmtZone(zoneB));
      expect(a?.zone).toBe(fmtZone(zoneA));
    });
  }
});

/** `journalctl -o short-monotonic` where only kubelet's klog stamps tell the wall clock. */
function monotonicJournal(host: string, zoneMin: number, bootUs: number, times: number[]): string {
  const up = (t: number) => `[${String(Math.floor((t - bootUs) / 1e6)).padStart(5)}.${String((t - bootUs) % 1e6).padStart(6, '0')}]`;
  return times.map((t, i) => i % 3 === 2
    ? `${up(t + 300)} ${host} systemd[1]: Started kubepods-burstable-pod${i}.slice.`
    : `${up(t + 300)} ${host} kubelet[1877]: ${klog(t, zoneMin, 1877, `pleg ${i}`)}`).join('\n') + '\n';
}

describe('short-monotonic with only klog wall clocks', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const r = rng(seed * 104_729);
    const zone = ZONES[Math.floor(r() * ZONES.length)]!;
    const bootUs = Date.UTC(2021 + Math.floor(r() * 5), Math.floor(r() * 12), 1 + Math.floor(r() * 27), Math.floor(r() * 24)) * 1000 + Math.floor(r() * 1e6);
    const times = Array.from({ length: 30 }, (_, i) => bootUs + 90e6 + i * 3_100_000 + Math.floor(r() * 1e6));
    const other = times.map((t) => t + 1_000_000);

    it(`seed ${seed}: the boot read from klog places every unit's lines, in the zone another file tells (UTC${fmtZone(zone)})`, async () => {
      const summary = await analyzeInputs([
        memInput('node/journal-monotonic.txt', enc.encode(monotonicJournal('node', zone, bootUs, times))),
        memInput('node/journal-short.txt', enc.encode(shortJournal('node', zone, other))),
      ], { parseOnly: true });
      const file = (origin: string) => summary.files.find((f) => f.path.endsWith('monotonic.txt') && f.origin === origin);
      const systemd = times.filter((_, i) => i % 3 === 2);
      // journald's uptime is 300 µs after klog's stamp, so the boot read from them is 300 µs early.
      expect(file('systemd')?.firstTs).toBe(iso(systemd[0]!));
      expect(file('systemd')?.lastTs).toBe(iso(systemd.at(-1)!));
      expect(file('kubelet')?.firstTs).toBe(iso(times[0]!));
    });
  }
});

/** A raw kubelet.log: klog wall clock only, no zone of its own. */
function rawKlog(zoneMin: number, times: number[]): string {
  return times.map((t, i) => klog(t, zoneMin, 2231, `sync ${i}`)).join('\n') + '\n';
}

/** containerd's own log file, stamped in the node's zone with its offset (`time="…-05:00"`). */
function containerdLog(zoneMin: number, times: number[]): string {
  const off = `${zoneMin < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(zoneMin) / 60))}:${p2(Math.abs(zoneMin) % 60)}`;
  return times.map((t, i) => {
    const w = wall(t, zoneMin);
    return `time="${w.y}-${p2(w.mo + 1)}-${p2(w.d)}T${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}.${String(w.us).padStart(6, '0')}123${off}" level=info msg="event ${i}" namespace=k8s.io`;
  }).join('\n') + '\n';
}

describe('a raw kubelet.log takes the zone its own folder tells', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const r = rng(seed * 15_485_863);
    const nonUtc = ZONES.filter((z) => z !== 0);
    const zoneA = ZONES[Math.floor(r() * ZONES.length)]!;
    let zoneB = nonUtc[Math.floor(r() * nonUtc.length)]!;
    while (zoneB === zoneA) zoneB = nonUtc[Math.floor(r() * nonUtc.length)]!;
    const start = Date.UTC(2023 + Math.floor(r() * 3), Math.floor(r() * 12), 1 + Math.floor(r() * 27), Math.floor(r() * 24)) * 1000 + Math.floor(r() * 1e6);
    const times = (n: number, step: number) => Array.from({ length: n }, (_, i) => start + i * step + Math.floor(r() * 1e6));
    const kubeletB = times(40, 1_900_000);

    it(`seed ${seed}: node-b's kubelet.log at UTC${fmtZone(zoneB)} beside its containerd.log, node-a's journal at UTC${fmtZone(zoneA)}`, async () => {
      const summary = await analyzeInputs([
        memInput('bundle/node-a/journal.txt', enc.encode(shortIsoJournal('node-a', zoneA, times(60, 1_300_000)))),
        memInput('bundle/node-b/var/log/kubelet.log', enc.encode(rawKlog(zoneB, kubeletB))),
        memInput('bundle/node-b/var/log/containerd.log', enc.encode(containerdLog(zoneB, times(20, 2_700_000)))),
      ], { parseOnly: true });
      const b = summary.files.find((f) => f.path.endsWith('node-b/var/log/kubelet.log'));
      expect(b?.firstTs).toBe(iso(kubeletB[0]!));
      expect(b?.lastTs).toBe(iso(kubeletB.at(-1)!));
      expect(b?.zone).toBe(fmtZone(zoneB));
    });

    it(`seed ${seed}: a lone node's kubelet.log takes the offset its containerd.log prints (UTC${fmtZone(zoneB)})`, async () => {
      const summary = await analyzeInputs([
        memInput('var/log/kubelet.log', enc.encode(rawKlog(zoneB, kubeletB))),
        memInput('var/log/containerd.log', enc.encode(containerdLog(zoneB, times(20, 2_700_000)))),
      ], { parseOnly: true });
      expect(summary.files.find((f) => f.path.endsWith('kubelet.log'))?.firstTs).toBe(iso(kubeletB[0]!));
    });
  }
});

describe('generated nodes of several zones in one bundle', () => {
  const nodeFiles = (folder: string, zone: number, seed: number, scenario: 'io-storm-umount-bbolt' | 'healthy') =>
    generateScenario({ scenario, seed, targetBytes: 600_000, zoneOffsetMin: zone }).files
      .map((f) => memInput(`${folder}/${f.path}`, enc.encode([...f.chunks()].join(''))));

  for (const [seed, zoneA, zoneB] of [[31, 330, -300], [32, 480, 60], [33, -420, 765]] as const) {
    it(`seed ${seed}: every file of node-a (UTC${fmtZone(zoneA)}) and node-b (UTC${fmtZone(zoneB)}) lands as when its node is analysed alone, raw dmesg included`, async () => {
      const a = nodeFiles('bundle/node-a', zoneA, seed, 'io-storm-umount-bbolt');
      const b = nodeFiles('bundle/node-b', zoneB, seed + 100, 'healthy');
      const key = (f: { path: string; origin: string }) => `${f.path}|${f.origin}`;
      const truth = new Map([...(await analyzeInputs(a, { parseOnly: true })).files, ...(await analyzeInputs(b, { parseOnly: true })).files].map((f) => [key(f), f]));
      const both = await analyzeInputs([...a, ...b], { parseOnly: true });
      const timed = both.files.filter((f) => f.firstTs !== null);
      expect(timed.some((f) => f.format === 'dmesg')).toBe(true);
      for (const f of timed) expect([f.path, f.firstTs, f.lastTs, f.zone]).toEqual([f.path, truth.get(key(f))?.firstTs, truth.get(key(f))?.lastTs, truth.get(key(f))?.zone]);
    });
  }
});
