import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Level } from '../model';
import { ingestEntry } from '../ingest';
import type { BundleEntry } from '../bundle/types';
import { criFormat } from './cri';
import { detectFormat } from './registry';
import { appLevel, systemdLevel } from './app-level';
import { newParsedLine, resetParsedLine } from './types';

function entryOf(path: string, text: string): BundleEntry {
  const bytes = new TextEncoder().encode(text);
  return {
    path, size: bytes.length, errors: [],
    stream: new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.close(); } }),
  };
}

const sink = { raw: () => undefined, block: () => undefined };

/** RFC 3339 nano as containerd prints it, in the node's zone (`offsetMin` east of UTC). */
function criStamp(utcMs: number, offsetMin: number, nanos: number): string {
  const local = new Date(utcMs + offsetMin * 60_000).toISOString().slice(0, 19);
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMin) % 60).padStart(2, '0')}`;
  return `${local}.${String(nanos).padStart(9, '0')}${zone}`;
}

function klogStamp(utcMs: number): string {
  const d = new Date(utcMs);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
}

describe('CRI container logs', () => {
  it('reads a kube-proxy log under /var/log/pods as kube-proxy, at the runtime stamps, with partial lines joined', async () => {
    const lines = [
      '2024-06-02T13:48:06.350695123+08:00 stderr F I0602 05:48:06.350601       1 server_others.go:72] "Using iptables proxy"',
      '2024-06-02T13:48:07.100000000+08:00 stderr P E0602 05:48:07.099999       1 reflector.go:147] failed to list *v1.Service: Get "https://10.96.0.1:443/api/v1/services": dial tcp 10.96.0.1:443: i/o',
      '2024-06-02T13:48:07.100000100+08:00 stdout F W0602 05:48:07.100000       1 proxier.go:123] "Sync took long" elapsed="2.1s"',
      '2024-06-02T13:48:07.100000200+08:00 stderr F  timeout',
      '2024-06-02T13:48:09.000000000+08:00 stderr F I0602 05:48:09.000000       1 proxier.go:820] "SyncProxyRules complete"',
    ];
    const path = 'node.tar.gz!/var/log/pods/kube-system_kube-proxy-x2x7q_5f0e8c1a-4b7d-4c1e-9a2b-3c4d5e6f7a8b/kube-proxy/0.log';
    const r = await ingestEntry(entryOf(path, `${lines.join('\n')}\n`), { fileId: 'f', year: 2024, sink });
    expect(r.format).toBe('cri');
    expect(r.sources.map((s) => [s.origin, s.lines, s.records])).toEqual([['kube-proxy', 5, 4]]);
    const s = r.sources[0]!;
    expect(new Date(s.firstTs / 1000).toISOString()).toBe('2024-06-02T05:48:06.350Z');
    expect(new Date(s.lastTs / 1000).toISOString()).toBe('2024-06-02T05:48:09.000Z');
    expect(s.levelCounts[Level.error]).toBe(1);
    expect(s.levelCounts[Level.warn]).toBe(1);
    // The container's UTC klog clock beside the runtime's +08:00 stamp is no vote for the node's zone.
    expect(r.anchors.every((a) => a.localAsUtcUs === null)).toBe(true);
  });

  it('names the container from /var/log/containers links and keeps free-text messages as records', async () => {
    const lines = [
      '2024-06-02T05:48:09.000000000Z stdout F [INFO] plugin/reload: Running configuration SHA512 = 591cf328',
      '2024-06-02T05:48:10.000000000Z stdout F [ERROR] plugin/errors: 2 example.org. A: read udp 10.244.1.5:53->10.96.0.10:53: i/o timeout',
    ];
    const path = `var/log/containers/coredns-5d78c9869d-x2x7q_kube-system_coredns-${'ab12cd34'.repeat(8)}.log`;
    const r = await ingestEntry(entryOf(path, `${lines.join('\n')}\n`), { fileId: 'f', year: 2024, sink });
    expect(r.format).toBe('cri');
    expect(r.sources.map((s) => [s.origin, s.records, s.levelCounts[Level.error]])).toEqual([['coredns', 2, 1]]);
    expect(r.errors).toEqual([]);
  });

  it('reads generated container logs of any zone, stream mix and message shape at the runtime stamp', () => {
    const message = fc.oneof(
      fc.constant('[INFO] plugin/health: ok'),
      fc.constant('level=warn msg="slow" took=2s'),
      fc.constant('{"level":"error","msg":"boom"}'),
      fc.string({ minLength: 0, maxLength: 40 }).filter((t) => !/[\r\n]/.test(t)),
    );
    fc.assert(fc.property(
      fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
      fc.integer({ min: 0, max: 999_999_999 }),
      fc.constantFrom('stdout', 'stderr'),
      fc.boolean(),
      message,
      (utcMs, offsetMin, nanos, stream, klog, text) => {
        const msg = klog ? `E${klogStamp(utcMs)}       1 main.go:1] ${text}` : text;
        const line = `${criStamp(utcMs, offsetMin, nanos)} ${stream} F ${msg}`;
        expect(detectFormat({ path: '0.log', lines: [line] }).format.id).toBe('cri');
        const parser = criFormat.createParser({ year: 2000, zoneOffsetMin: 300, bootTimeUs: null });
        const out = newParsedLine();
        resetParsedLine(out);
        parser.parse(line, out);
        // Indented output (a stack trace's frames) continues the record before it, as in journals.
        const indented = !klog && /^[ \t]/.test(text);
        expect(out.continuation).toBe(indented);
        if (indented) return;
        expect(out.local).toBe(false);
        expect(out.ts).toBe(Math.floor(utcMs / 1000) * 1e6 + Math.floor(nanos / 1000));
        if (klog) expect(out.level).toBe(Level.error);
      },
    ));
  });

  it('continues a partial line with the same stream only', () => {
    const parser = criFormat.createParser({ year: 2024, zoneOffsetMin: 0, bootTimeUs: null });
    const out = newParsedLine();
    const read = (line: string) => {
      resetParsedLine(out);
      parser.parse(line, out);
      return out.continuation;
    };
    expect(read('2024-06-02T05:48:07.1Z stderr P first half of a long')).toBe(false);
    expect(read('2024-06-02T05:48:07.2Z stdout F another message')).toBe(false);
    expect(read('2024-06-02T05:48:07.3Z stderr P  middle')).toBe(true);
    expect(read('2024-06-02T05:48:07.4Z stderr F  end')).toBe(true);
    expect(read('2024-06-02T05:48:07.5Z stderr F next message')).toBe(false);
  });

  it.each([
    ['[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API', Level.warn],
    ['ts=2024-06-02T05:48:07Z caller=main.go:1 level=error msg="scrape failed"', Level.error],
    ['{"severity":"CRITICAL","message":"disk full"}', Level.fatal],
    ['2024-06-02 05:48:06.123 INFO  [main] started', Level.info],
    ['E: not a level word', Level.unknown],
    // A Go program dying on stderr, nginx's slash-dated levels.
    ['panic: runtime error: invalid memory address or nil pointer dereference', Level.fatal],
    ['fatal error: concurrent map writes', Level.fatal],
    ['2024/06/03 05:48:01 [emerg] 1#1: open() "/etc/nginx/conf.d/default.conf" failed (13: Permission denied)', Level.fatal],
    ['2024/06/03 05:48:01 [warn] 1#1: conflicting server name', Level.warn],
    ['a panic: in the middle is text', Level.unknown],
  ])('reads the app level of %s', (text, level) => {
    expect(appLevel(text, 0, text.length)).toBe(level);
  });

  it.each([
    // systemd saying a unit failed; its other lines as their words say.
    ['kubelet.service: Main process exited, code=exited, status=1/FAILURE', Level.warn],
    ['containerd.service: Failed with result \'exit-code\'.', Level.warn],
    ['Failed to start kubelet: The Kubernetes Node Agent.', Level.warn],
    ['kubelet.service: Main process exited, code=exited, status=0/SUCCESS', Level.unknown],
    ['[ERROR] not a unit failing, still read', Level.error],
  ])('reads the level of systemd\'s %s', (text, level) => {
    expect(systemdLevel(text, 0, text.length)).toBe(level);
  });
});
