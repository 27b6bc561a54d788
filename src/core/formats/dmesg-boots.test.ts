// journalctl -o short-monotonic over several boots: each boot's uptime starts again near 0.
import { describe, expect, it } from 'vitest';
import { run } from './dmesg-test-helpers';
import { dmesgFormat } from './dmesg';
import { detectFormat } from './registry';
import { pad, pick, rng, showTs } from './test-helpers';

const HOSTS = ['ip-10-1-2-3', 'wkr-3', 'node-7.eu-central-1.compute.internal'];
const ZONES = [0, 330, -300, 60];

interface Line { text: string; boot: number; utc: number; afterAnchor: boolean }

function uptime(us: number): string {
  return `[${String(Math.floor(us / 1e6)).padStart(5, ' ')}.${pad(us % 1e6, 6)}]`;
}

function isoIn(utc: number, zoneMin: number): string {
  const w = new Date((utc + zoneMin * 60e6) / 1000);
  const sign = zoneMin < 0 ? '-' : '+';
  const a = Math.abs(zoneMin);
  return `${w.toISOString().slice(0, 19)}.${pad(utc % 1e6, 6)}000${sign}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
}

/** Boots around new year; some boots start containerd (whose time= tells the boot time), some do not. */
function generate(seed: number) {
  const rand = rng(seed);
  const host = pick(rand, HOSTS);
  const zone = pick(rand, ZONES);
  const boots = 2 + Math.floor(rand() * 3);
  let bootUtc = Date.UTC(2024, 11, 31, 22) * 1000 + Math.floor(rand() * 3600e6);
  const lines: Line[] = [];
  const anchored: boolean[] = [];
  for (let b = 0; b < boots; b++) {
    lines.push({ text: `-- Boot ${pad(b + 1, 4)}e6f47a8b9c0d1e2f3a4b5c6${pad(seed, 4)} --`, boot: b, utc: NaN, afterAnchor: false });
    const withRuntime = b === 0 || rand() < 0.6;
    anchored.push(withRuntime);
    let up = 0;
    let afterAnchor = false;
    const add = (text: string) => lines.push({ text: `${uptime(up)} ${host} ${text}`, boot: b, utc: bootUtc + up, afterAnchor });
    add('kernel: Linux version 6.1.0-18-cloud-amd64 (debian-kernel@lists.debian.org)');
    up += 1_000_000 + Math.floor(rand() * 4e6);
    add('systemd[1]: Started systemd-journald.service - Journal Service.');
    if (withRuntime) {
      up += Math.floor(rand() * 8e6);
      afterAnchor = true;
      add(`containerd[${900 + b}]: time="${isoIn(bootUtc + up, zone)}" level=info msg="starting containerd" revision=v1.7.22 version=v1.7.22`);
    }
    const n = 5 + Math.floor(rand() * 20);
    for (let k = 0; k < n; k++) {
      up += Math.floor(rand() * 120e6);
      if (rand() < 0.5) add('kernel: IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)');
      else add('systemd[1]: Started kubelet.service - kubelet: The Kubernetes Node Agent.');
    }
    // Down for a while before the next boot.
    bootUtc += up + 30e6 + Math.floor(rand() * 1800e6);
  }
  return { lines, boots, anchored };
}

describe('short-monotonic over several boots, generated', () => {
  for (let seed = 1; seed <= 20; seed++) {
    it(`seed ${seed}: a later boot never lands among an earlier one's lines; anchored boots are placed exactly`, () => {
      const { lines, boots, anchored } = generate(seed);
      const texts = lines.map((l) => l.text);
      expect(detectFormat({ path: 'journal.txt', lines: texts }).format.id).toBe('dmesg');
      const { parsed, extras } = run(dmesgFormat, texts);
      const anchors = (extras.anchors ?? []).filter((a) => a.bootUs !== undefined);
      expect(anchors.length).toBeGreaterThan(0);
      const boot = anchors[0]!.bootUs!;
      let lastOfBoot = -Infinity;
      let bootNo = 0;
      parsed.forEach((p, n) => {
        const l = lines[n]!;
        if (l.utc !== l.utc) return;
        const where = `${n}: ${l.text}`;
        expect(p.relative, where).toBe(true);
        if (l.boot !== bootNo) {
          // Every line of the new boot comes after every line of the boot before it.
          bootNo = l.boot;
          expect(p.ts, where).toBeGreaterThanOrEqual(lastOfBoot);
        }
        lastOfBoot = Math.max(lastOfBoot, p.ts);
        if (l.boot === 0 || (anchored[l.boot] && l.afterAnchor)) expect(showTs(boot + p.ts), where).toBe(showTs(l.utc));
        // A boot that never tells its time is placed too early, but never before the true start of the file's first boot.
        else expect(boot + p.ts, where).toBeLessThanOrEqual(l.utc);
      });
      const note = extras.notes?.join(' ') ?? '';
      expect(note).toContain(`${boots} boots`);
      const unknown = anchored.filter((a) => !a).length;
      if (unknown > 0) expect(note).toContain(`${unknown} boot(s)`);
    });
  }

  it('keeps one boot as it was: no note, the boot anchor as before', () => {
    const { lines } = generate(3);
    const one = lines.filter((l) => l.boot === 0).map((l) => l.text);
    const { extras } = run(dmesgFormat, one);
    expect(extras.notes).toBeUndefined();
    expect(extras.anchors?.some((a) => a.bootUs !== undefined)).toBe(true);
  });
});
