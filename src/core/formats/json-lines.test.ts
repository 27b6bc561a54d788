import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { ingestBytes, utf8 } from './property-helpers';
import { jsonLinesFormat } from './json-lines';
import { detectFormat } from './registry';
import { parseAll } from './test-helpers';

const LEVELS: [string, Level][] = [['debug', Level.debug], ['info', Level.info], ['warn', Level.warn], ['warning', Level.warn], ['error', Level.error], ['ERROR', Level.error], ['fatal', Level.fatal]];

describe('JSON lines', () => {
  it('reads zap, bunyan and Elastic records of any stamp form, key order and level name', () => {
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2035, 0, 1) }),
      fc.integer({ min: 0, max: 999 }),
      fc.constantFrom(...LEVELS),
      fc.constantFrom('iso', 'seconds', 'millis', 'offset'),
      fc.constantFrom('ts', 'time', 'timestamp', '@timestamp'),
      fc.boolean(),
      fc.string({ maxLength: 30 }),
      (ms, us, [name, level], form, timeKey, levelFirst, msg) => {
        const at = ms * 1000 + us;
        const iso = new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);
        const shifted = new Date(ms + 5.5 * 3600e3).toISOString().slice(0, 23) + String(us).padStart(3, '0') + '+05:30';
        const time = form === 'iso' ? iso : form === 'offset' ? shifted : form === 'seconds' ? at / 1e6 : at / 1e3;
        const fields: [string, unknown][] = [[timeKey, time], ['caller', 'pkg/x.go:12'], ['msg', msg]];
        if (levelFirst) fields.unshift(['level', name]);
        else fields.push(['level', name]);
        const line = JSON.stringify(Object.fromEntries(fields));
        // `time` and `level` as strings is logrus's JSON: its reader (the containerd format) takes it.
        const logrus = timeKey === 'time' && typeof time === 'string';
        const format = detectFormat({ path: 'agent.log', lines: [line] }).format;
        expect(format.id).toBe(logrus ? 'containerd' : 'json-lines');
        const [out] = parseAll(format, [line]);
        // Floating-point epochs: within a microsecond.
        expect(Math.abs(out!.ts - at)).toBeLessThanOrEqual(1);
        expect(out!.level).toBe(level);
        expect(out!.local).toBe(false);
      },
    ));
  });

  it('leaves logrus JSON to the containerd reader and klog JSON and journal JSON to theirs', () => {
    const logrus = '{"level":"info","msg":"starting containerd","revision":"abc","time":"2024-06-02T05:48:06.350695123Z","version":"1.7.13"}';
    const klog = '{"ts":1755463072104.5818,"caller":"kubelet/kubelet.go:2453","msg":"SyncLoop ADD","v":0}';
    const journal = '{"__REALTIME_TIMESTAMP":"1717307286350695","MESSAGE":"hello","SYSLOG_IDENTIFIER":"kubelet"}';
    expect(detectFormat({ path: 'x.log', lines: [logrus] }).format.id).toBe('containerd');
    expect(detectFormat({ path: 'x.log', lines: [klog] }).format.id).toBe('klog-json');
    expect(detectFormat({ path: 'x.log', lines: [journal] }).format.id).toBe('journal-json');
  });

  it('joins a Docker json-file message cut at 16 KiB and reads the container\'s own level', async () => {
    const rec = (log: string, stream: string, time: string) => JSON.stringify({ log, stream, time });
    const lines = [
      rec('I0602 05:48:06.350601       1 server_others.go:72] "Using iptables proxy"\n', 'stderr', '2024-06-02T05:48:06.350695123Z'),
      rec(`E0602 05:48:07.350601       1 reflector.go:147] ${'x'.repeat(100)}`, 'stderr', '2024-06-02T05:48:07.350695123Z'),
      rec('tail of the cut message\n', 'stderr', '2024-06-02T05:48:07.350695200Z'),
      rec('2024/06/02 05:48:08 [warn] upstream slow\n', 'stdout', '2024-06-02T05:48:08Z'),
    ];
    const path = 'var/lib/docker/containers/4f2a/4f2a-json.log';
    const { result } = await ingestBytes(path, utf8(`${lines.join('\n')}\n`));
    expect(result.format).toBe('json-lines');
    const [s] = result.sources;
    expect([s!.lines, s!.records, s!.levelCounts[Level.error], s!.levelCounts[Level.info]]).toEqual([4, 3, 1, 1]);
    expect(new Date(s!.lastTs / 1000).toISOString()).toBe('2024-06-02T05:48:08.000Z');
  });

  it('keeps the time and level of a record cut by a pager, and continues a fragment', () => {
    const [cut, fragment] = parseAll(jsonLinesFormat, [
      '{"level":"error","ts":"2024-06-02T05:48:07.350Z","caller":"main.go:42","msg":"Failed to talk to API server","error":"dial tcp 10.100.0.1:4>',
      '43: i/o timeout"}',
    ]);
    expect([cut!.ts, cut!.level, cut!.continuation]).toEqual([Date.UTC(2024, 5, 2, 5, 48, 7, 350) * 1000, Level.error, false]);
    expect(fragment!.continuation).toBe(true);
  });
});
