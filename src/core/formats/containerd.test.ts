import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { US_PER_MIN, formatIsoUs } from '../time/civil';
import { containerdFormat } from './containerd';
import { detectFormat } from './registry';
import { pad, parseAll, pick, rng, showTs } from './test-helpers';

const ZONES = [-420, 0, 60, 480, 660];
const LEVELS = [['info', 'INFO', Level.info], ['warning', 'WARN', Level.warn], ['error', 'ERRO', Level.error], ['debug', 'DEBU', Level.debug]] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function offsetText(zoneMin: number): string {
  if (zoneMin === 0) return 'Z';
  const a = Math.abs(zoneMin);
  return `${zoneMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
}

/** Wall-clock fields of `utcUs` in `zoneMin`. */
function wall(utcUs: number, zoneMin: number) {
  const d = new Date(Math.floor((utcUs + zoneMin * US_PER_MIN) / 1000));
  const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return { d, clock, date: d.toISOString().slice(0, 10) };
}

interface Expected { ts: number; level: Level; origin: string | null; continuation: boolean }

/** containerd output in all three logrus forms, behind random prefixes, with shim lines and dumps. */
function generate(seed: number, count: number) {
  const rand = rng(seed);
  const nodeZone = pick(rand, ZONES);
  const stampZone = rand() < 0.5 ? 0 : nodeZone;
  let utc = Date.UTC(2018 + Math.floor(rand() * 7), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), 12) * 1000;
  const lines: string[] = [];
  const expected: Expected[] = [];
  for (let n = 0; n < count; n++) {
    utc += 1000 + Math.floor(rand() * 3e6) * 1000 + Math.floor(rand() * 1000);
    const ns = pad((utc % 1e6) * 1000 + Math.floor(rand() * 1000), 9);
    const s = wall(utc, stampZone);
    const stamp = `${s.date}T${s.clock}.${ns}${offsetText(stampZone)}`;
    const [name, tty, level] = pick(rand, LEVELS);
    const shim = rand() < 0.2;
    const fields = shim
      ? `namespace=k8s.io path=/run/containerd/io.containerd.runtime.v2.task/k8s.io/${n} pid=${1000 + n} runtime=io.containerd.runc.v2`
      : `id=${(n * 7919).toString(16)} namespace=k8s.io`;
    const form = Math.floor(rand() * 3);
    const record = form === 0
      ? `time="${stamp}" level=${name} msg="${shim ? 'shim disconnected' : 'TaskExit event in podsandbox handler'}" ${fields}`
      : form === 1
        ? `${tty}[${stamp}] ${'event'.padEnd(44)} ${fields}`
        : JSON.stringify({ level: name, msg: shim ? 'starting signal loop' : 'PullImage', ...(shim ? { pid: 1000 + n, runtime: 'io.containerd.runc.v2' } : {}), time: stamp });
    const w = wall(utc, nodeZone);
    const pid = 1 + Math.floor(rand() * 99999);
    const prefix = pick(rand, [
      '',
      `${MONTHS[w.d.getUTCMonth()]} ${pad(w.d.getUTCDate(), 2)} ${w.clock} node-${n % 5} containerd[${pid}]: `,
      `containerd[${pid}]: `,
      `2023-10-25T10:57:16.6624587Z     default: `,
      `syslog.1:${n + 1}:${w.date}T${w.clock}.000000${offsetText(nodeZone)} node-1 containerd[${pid}]: `,
    ]);
    lines.push(prefix + record);
    expected.push({ ts: utc, level, origin: shim ? 'shim' : prefix.includes('containerd[') ? 'containerd' : null, continuation: false });
    if (rand() < 0.05) {
      lines.push('goroutine 69 [running]:', 'main.dumpStacks()', '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:207 +0x8c', '');
      for (let k = 0; k < 4; k++) expected.push({ ts: NaN, level: Level.unknown, origin: null, continuation: true });
    }
  }
  return { lines, expected, nodeZone };
}

describe('containerd, generated variants', () => {
  for (let seed = 1; seed <= 20; seed++) {
    it(`seed ${seed}: absolute stamps, levels, shim origin, continuations`, () => {
      const { lines, expected } = generate(seed, 250);
      const parsed = parseAll(containerdFormat, lines, { zoneOffsetMin: 0 });
      parsed.forEach((p, n) => {
        const e = expected[n]!;
        const where = `${n}: ${lines[n]}`;
        expect(showTs(p.ts), where).toBe(showTs(e.ts));
        expect(levelNames[p.level], where).toBe(levelNames[e.level]);
        expect(p.origin, where).toBe(e.origin);
        expect(p.continuation, where).toBe(e.continuation);
        if (!e.continuation) expect(p.local, where).toBe(false);
      });
      expect(detectFormat({ path: 'containerd.log', lines: lines.slice(0, 200) }).format.id).toBe('containerd');
    });

    it(`seed ${seed}: local journald prefixes beside absolute stamps give the node's zone`, () => {
      const { lines, nodeZone } = generate(seed, 250);
      const anchors = containerdFormat.anchors!({ path: 'c', lines }).filter((a) => a.localAsUtcUs !== null);
      expect(anchors.length).toBeGreaterThan(0);
      for (const a of anchors) expect(Math.round((a.localAsUtcUs! - a.utcUs) / US_PER_MIN) || 0).toBe(nodeZone);
    });
  }
});

describe('containerd details', () => {
  it('takes the year for later yearless lines from a dated stamp', () => {
    const out = parseAll(containerdFormat, [
      'time="2019-12-31T23:59:59.000000000Z" level=info msg="a"',
      'Jan 01 00:00:01 h containerd[1]: plain text from containerd',
    ], { year: 2024 });
    expect(out.map((p) => formatIsoUs(p.ts))).toEqual(['2019-12-31T23:59:59.000000Z', '2020-01-01T00:00:01.000000Z']);
    expect(out[1]!.local).toBe(true);
  });

  it('uses the prefix time for a TTY line with a relative stamp', () => {
    const [p] = parseAll(containerdFormat, ['Jun 02 05:48:06 h containerd[1]: WARN[0042] slow snapshotter'], { zoneOffsetMin: 60 });
    expect(formatIsoUs(p!.ts)).toBe('2024-06-02T04:48:06.000000Z');
    expect(p!.level).toBe(Level.warn);
  });
});

describe('logrus before 0.8 (docker 1.6 era): every value quoted', () => {
  // `level="info"`: the quote must not hide the level, and the record's dated stamp must win
  // over the yearless prefix in front of it.
  const rand = rng(1341);
  for (let n = 0; n < 12; n++) {
    const [name, , level] = pick(rand, LEVELS);
    const zone = pick(rand, ZONES);
    const utc = Date.UTC(2015 + (n % 3), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24), Math.floor(rand() * 60), Math.floor(rand() * 60)) * 1000;
    const s = wall(utc, zone);
    const ident = pick(rand, ['docker', 'dockerd', 'containerd']);
    const host = `core-${pad(n, 2)}`;
    const prefix = `${MONTHS[s.d.getUTCMonth()]} ${pad(s.d.getUTCDate(), 2)} ${s.clock} ${host} ${ident}[${100 + n * 37}]: `;
    const line = `${prefix}time="${s.date}T${s.clock}${offsetText(zone)}" level="${name}" msg="+job log(create, ${(n * 7919).toString(16)}, busybox:latest)"`;
    it(`${host} ${ident} ${name} ${offsetText(zone)}`, () => {
      const [p] = parseAll(containerdFormat, [line], { year: 2024, zoneOffsetMin: 0 });
      expect(showTs(p!.ts)).toBe(showTs(utc));
      expect(p!.local).toBe(false);
      expect(levelNames[p!.level]).toBe(levelNames[level]);
    });
  }
});
