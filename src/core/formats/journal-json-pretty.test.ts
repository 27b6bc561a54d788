// journalctl -o json-pretty: recognised, kept as plain text, and the file names the fix.
import { describe, expect, it } from 'vitest';
import { run } from './dmesg-test-helpers';
import { JSON_PRETTY_ERROR, journalJsonPrettyFormat } from './journal-json-pretty';
import { detectFormat } from './registry';
import { pick, rng } from './test-helpers';

const UNITS = [['kubelet', 'E0101 00:00:00.001000    1877 kubelet.go:2361] \\"Skipping pod synchronization\\"'], ['containerd', 'time=\\"2024-12-31T18:30:00.002Z\\" level=warning msg=\\"x\\"'], ['kernel', 'EXT4-fs (nvme0n1p1): mounted filesystem']] as const;

/** Entries around new year, fields in hash order as current journalctl prints them; spaced (old) or compact keys. */
function generate(seed: number): string[] {
  const rand = rng(seed);
  const host = pick(rand, ['ip-10-0-1-5', 'wkr-3', 'node-7']);
  const spaced = rand() < 0.5;
  let us = Date.UTC(2024, 11, 31, 23, 58) * 1000;
  const lines: string[] = [];
  for (let n = 0; n < 12; n++) {
    us += Math.floor(rand() * 30e6);
    const [unit, message] = pick(rand, UNITS);
    const fields: [string, string][] = [
      ['__CURSOR', `s=0cac7e4ff6a72faf4639eded07fd2037;i=${n};b=df2f9e5d3cb1e262e08ab5a556ce1ffd`],
      ['__REALTIME_TIMESTAMP', String(us)], ['__MONOTONIC_TIMESTAMP', String(475500815731 + n)],
      ['_BOOT_ID', 'df2f9e5d3cb1e262e08ab5a556ce1ffd'], ['PRIORITY', '6'], ['SYSLOG_IDENTIFIER', unit],
      ['_HOSTNAME', host], ['MESSAGE', message],
    ];
    for (let k = fields.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [fields[k], fields[j]] = [fields[j]!, fields[k]!];
    }
    lines.push('{');
    fields.forEach(([key, value], k) => lines.push(`\t"${key}"${spaced ? ' : ' : ': '}"${value}"${k < fields.length - 1 ? ',' : ''}`));
    lines.push('}');
  }
  return lines;
}

describe('journalctl -o json-pretty', () => {
  for (let seed = 1; seed <= 8; seed++) {
    it(`seed ${seed}: detected, kept as plain lines, one error naming the export to use`, () => {
      const lines = generate(seed);
      expect(detectFormat({ path: 'journal.json', lines }).format.id).toBe('journal-json-pretty');
      const { parsed, extras } = run(journalJsonPrettyFormat, lines);
      for (const p of parsed) expect([p.ts, p.continuation, p.origin]).toEqual([NaN, false, null]);
      expect(extras.errors).toEqual([JSON_PRETTY_ERROR]);
      expect(JSON_PRETTY_ERROR).toContain('journalctl -o json');
    });
  }

  it('leaves one-line journal JSON and other pretty JSON alone', () => {
    const oneLine = ['{"__REALTIME_TIMESTAMP":"1735669800001000","_HOSTNAME":"h1","SYSLOG_IDENTIFIER":"kubelet","MESSAGE":"x"}'];
    expect(detectFormat({ path: 'j.json', lines: oneLine }).format.id).toBe('journal-json');
    const kubectl = ['{', '    "apiVersion": "v1",', '    "kind": "Pod",', '    "metadata": {', '        "name": "web-0"', '    }', '}'];
    expect(journalJsonPrettyFormat.detect({ path: 'pod.json', lines: kubectl })).toBe(0);
  });
});
