import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { formatIsoUs } from '../time/civil';
import { fieldText, journalJsonFormat, levelOfPriority } from './journal-json';
import { detectFormat } from './registry';
import { parseAll } from './test-helpers';

// Real records, copied unmodified from shared/samples/real (sources and licences in the folder).
const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/journal-json/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l.length > 0);
const sonobuoy = fixture('journal-json-kubelet-kernel-docker-sonobuoy-0.9.jsonl');
const faasd = fixture('journal-json-output-fields-faasd.jsonl');

describe('journal JSON, real sonobuoy records (Dec 2017)', () => {
  const parsed = parseAll(journalJsonFormat, sonobuoy);

  it('is detected by content', () => {
    expect(sonobuoy).toHaveLength(50);
    const d = detectFormat({ path: 'ip-10-0-9-16', lines: sonobuoy });
    expect(d.format.id).toBe('journal-json');
    expect(d.score).toBeGreaterThan(0.9);
  });

  it('takes the source time when present, else the receive time', () => {
    sonobuoy.forEach((line, n) => {
      const entry = JSON.parse(line) as Record<string, string>;
      const expected = Number(entry._SOURCE_REALTIME_TIMESTAMP ?? entry.__REALTIME_TIMESTAMP);
      expect(parsed[n]!.ts, line.slice(0, 80)).toBe(expected);
      expect(parsed[n]!.continuation).toBe(false);
      expect(parsed[n]!.local).toBe(false);
    });
    expect(formatIsoUs(parsed[0]!.ts)).toBe('2017-12-21T16:11:01.759902Z');
  });

  it('maps identifiers to origins', () => {
    const origins = new Set(parsed.map((p) => p.origin));
    expect([...origins].sort()).toEqual(['CRON', 'docker', 'kernel', 'kubelet', 'ntpd', 'systemd']);
    sonobuoy.forEach((line, n) => {
      if (line.includes('"_TRANSPORT" : "kernel"')) expect(parsed[n]!.origin).toBe('kernel');
    });
  });

  it('prefers the klog letter and logfmt level over PRIORITY', () => {
    sonobuoy.forEach((line, n) => {
      const entry = JSON.parse(line) as Record<string, string>;
      const msg = entry.MESSAGE ?? '';
      const level = levelNames[parsed[n]!.level];
      if (/^W\d{4} /.test(msg)) expect(level).toBe('warn');
      else if (/^E\d{4} /.test(msg)) expect(level).toBe('error');
      else if (/^I\d{4} /.test(msg)) expect(level).toBe('info');
      else if (msg.startsWith('time=')) expect(level).toBe('warn'); // dockerd level=warning, PRIORITY 6
      else expect(level).toBe(levelNames[levelOfPriority(entry.PRIORITY ?? null)]);
    });
    expect(parsed.filter((p) => p.level === Level.error).length).toBeGreaterThan(0);
  });

  it('finds the zone from klog stamps beside the journal time (UTC here)', () => {
    const anchors = journalJsonFormat.anchors!({ path: 'x', lines: sonobuoy });
    const local = anchors.filter((a) => a.localAsUtcUs !== null);
    expect(local.length).toBeGreaterThan(5);
    for (const a of local) expect(Math.abs(a.localAsUtcUs! - a.utcUs)).toBeLessThan(60e6);
    expect(anchors.some((a) => a.localAsUtcUs === null)).toBe(true);
  });
});

describe('journal JSON, real faasd record (--output-fields)', () => {
  it('uses _SOURCE_REALTIME_TIMESTAMP and keeps an unknown ident as the origin', () => {
    const [out] = parseAll(journalJsonFormat, faasd);
    expect(formatIsoUs(out!.ts)).toBe('2020-03-04T20:31:39.094372Z');
    expect(out!.origin).toBe('openfaas-fn:nodeinfo');
    expect(detectFormat({ path: 'x', lines: faasd }).format.id).toBe('journal-json');
  });
});

describe('journal JSON, value shapes', () => {
  it('decodes strings, byte arrays and repeated fields', () => {
    expect(fieldText('a')).toBe('a');
    expect(fieldText([72, 105])).toBe('Hi');
    expect(fieldText([0xe2, 0x9c, 0x93])).toBe('✓');
    expect(fieldText([255])).toBe('\ufffd');
    expect(fieldText(['first', 'second'])).toBe('first');
    expect(fieldText(null)).toBeNull();
    expect(fieldText([])).toBeNull();
    expect(fieldText(42)).toBeNull();
  });

  it('reads a byte-array klog MESSAGE and compact style with a zone offset in the anchor', () => {
    const msg = [...Buffer.from('I0610 08:13:22.400000    2211 a.go:1] "x"')];
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1718000002500000', SYSLOG_IDENTIFIER: 'kubelet', PRIORITY: '6', MESSAGE: msg });
    const [out] = parseAll(journalJsonFormat, [line]);
    expect(out!.level).toBe(Level.info);
    const [anchor] = journalJsonFormat.anchors!({ path: 'x', lines: [line] });
    // klog wrote 08:13 local while the journal saw 06:13 UTC: the node runs at +02:00.
    expect(Math.round((anchor!.localAsUtcUs! - anchor!.utcUs) / 60e6)).toBe(120);
  });

  it('falls back from SYSLOG_IDENTIFIER to _COMM to _SYSTEMD_UNIT', () => {
    const lines = [
      '{"__REALTIME_TIMESTAMP":"1","_COMM":"containerd","MESSAGE":"x"}',
      '{"__REALTIME_TIMESTAMP":"1","_SYSTEMD_UNIT":"kubelet.service","MESSAGE":"x"}',
      '{"__REALTIME_TIMESTAMP":"1","MESSAGE":"x"}',
      '{"__REALTIME_TIMESTAMP":"x1","MESSAGE":"x"}',
    ];
    const out = parseAll(journalJsonFormat, lines);
    expect(out.map((o) => o.origin)).toEqual(['containerd', 'kubelet', null, null]);
    expect(out[3]!.ts).toBeNaN();
  });
});

describe('journal JSON, kubelet with --logging-format=json', () => {
  it('takes the level from the klog JSON MESSAGE, not from stdout\'s PRIORITY 6', () => {
    const hosts = ['aks-np1-3141', 'ip-10-0-3-7', 'stjohns-w1'];
    for (const [n, host] of hosts.entries()) {
      const us = 1_700_000_000_000_000 + n * 86_400_000_000_123;
      const ms = `${Math.floor(us / 1000)}.${n}`;
      const entry = (message: string) => JSON.stringify({ __REALTIME_TIMESTAMP: String(us), _TRANSPORT: 'stdout', PRIORITY: '6', SYSLOG_IDENTIFIER: 'kubelet', _HOSTNAME: host, MESSAGE: message });
      const out = parseAll(journalJsonFormat, [
        entry(`{"ts":${ms},"caller":"kubelet/pod_workers.go:1301","msg":"Error syncing pod, skipping","pod":{"name":"web-${n}","namespace":"prod"},"err":"CrashLoopBackOff"}`),
        entry(`{"ts":${ms},"caller":"kubelet/kubelet.go:2361","msg":"Skipping pod synchronization"}`),
        entry(`{"ts":${ms},"caller":"status/status_manager.go:877","msg":"Failed to update status for pod","v":2,"err":"conflict"}`),
      ]);
      expect(out.map((o) => levelNames[o.level])).toEqual(['error', 'error', 'info']);
      expect(out.every((o) => o.ts === us && o.origin === 'kubelet')).toBe(true);
    }
  });
});

describe('journal JSON, journalctl -o json-seq (RFC 7464: RS before each object)', () => {
  it('is detected and read like -o json', () => {
    for (const [n, host] of ['h1', 'wkr-mumbai-03', 'ip-192-0-2-15'].entries()) {
      const us = 1_735_669_800_001_000 + n * 3_600_000_000;
      const lines = [
        JSON.stringify({ __REALTIME_TIMESTAMP: String(us), PRIORITY: '6', SYSLOG_IDENTIFIER: 'kubelet', _HOSTNAME: host, MESSAGE: `E0101 00:00:00.001000    187${n} kubelet.go:2361] "Skipping pod synchronization"` }),
        JSON.stringify({ __REALTIME_TIMESTAMP: String(us + 1000), PRIORITY: '3', _TRANSPORT: 'kernel', _HOSTNAME: host, MESSAGE: 'Out of memory: Killed process 4411 (java)' }),
      ].map((l) => `\u001e${l}`);
      expect(detectFormat({ path: `journal-${host}.json`, lines }).format.id).toBe('journal-json');
      const out = parseAll(journalJsonFormat, lines);
      expect(out.map((o) => [o.ts, o.origin, levelNames[o.level], o.continuation])).toEqual([[us, 'kubelet', 'error', false], [us + 1000, 'kernel', 'error', false]]);
    }
  });
});
