import { describe, expect, it } from 'vitest';
import { YearTracker, formatIsoUs } from '../time/civil';
import { IdentOrigins, PrefixKind, lineEnd, newLinePrefix, originOfIdent, peelPrefix } from './prefix';

function peel(line: string, year = 2024) {
  const p = newLinePrefix();
  peelPrefix(line, p, new YearTracker(year));
  return {
    payload: line.slice(p.start, p.end),
    kind: p.kind,
    ts: p.ts === p.ts ? formatIsoUs(p.ts) : null,
    local: p.local,
    ident: p.identStart >= 0 ? line.slice(p.identStart, p.identEnd) : null,
    pid: p.pid,
    outer: p.outerTs === p.outerTs ? formatIsoUs(p.outerTs) : null,
  };
}

describe('transport prefixes', () => {
  it.each([
    // [line, payload, kind, time, local, ident, pid]
    ['Jun 02 05:48:06.350695 node-1 kubelet[4567]: I0602 x', 'I0602 x', PrefixKind.monthDay, '2024-06-02T05:48:06.350695Z', true, 'kubelet', 4567],
    ['Jan 12 15:35:44 k8s-worker-44 kubelet[116050]: E0112 y', 'E0112 y', PrefixKind.monthDay, '2024-01-12T15:35:44.000000Z', true, 'kubelet', 116050],
    ['Aug  5 07:27:14 host prog[77]: msg', 'msg', PrefixKind.monthDay, '2024-08-05T07:27:14.000000Z', true, 'prog', 77],
    ['Mar 31 07:55:31.545065 localhost kernel: last_pfn = 0xbff21', 'last_pfn = 0xbff21', PrefixKind.monthDay, '2024-03-31T07:55:31.545065Z', true, 'kernel', -1],
    ['Jun 19 21:51:02 containerd[83660]: time="x"', 'time="x"', PrefixKind.monthDay, '2024-06-19T21:51:02.000000Z', true, 'containerd', 83660],
    ['8月 20 04:32:10 ctrlplane-a56 containerd[3264]: t', 't', PrefixKind.monthDay, '2024-08-20T04:32:10.000000Z', true, 'containerd', 3264],
    ['mai 27 15:25:45 k8s-worker82 containerd[399718]: t', 't', PrefixKind.monthDay, '2024-05-27T15:25:45.000000Z', true, 'containerd', 399718],
    ['Dez 24 18:00:00 knoten kubelet[1]: t', 't', PrefixKind.monthDay, '2024-12-24T18:00:00.000000Z', true, 'kubelet', 1],
    ['2024-05-07T10:26:23.142118+00:00 lnx69631 dockerd[52789]: time=', 'time=', PrefixKind.iso, '2024-05-07T10:26:23.142118Z', false, 'dockerd', 52789],
    ['2025-03-04T11:47:29.149489+0100 node-7 kubelet[2211]: E', 'E', PrefixKind.iso, '2025-03-04T10:47:29.149489Z', false, 'kubelet', 2211],
    ['2025-03-04T11:47:29+01:00 node-7 kernel: oops', 'oops', PrefixKind.iso, '2025-03-04T10:47:29.000000Z', false, 'kernel', -1],
    ['1583353899.094400 node-9 systemd-udevd[412]: Could not', 'Could not', PrefixKind.unix, '2020-03-04T20:31:39.094400Z', false, 'systemd-udevd', 412],
    ['kubelet_init[1469]: I0417 23:18:06.350695    1468 g.go:1] m', 'I0417 23:18:06.350695    1468 g.go:1] m', PrefixKind.dateless, null, false, 'kubelet_init', 1469],
    ['k8s-worker-44 kubelet[116050]: E0112', 'E0112', PrefixKind.dateless, null, false, 'kubelet', 116050],
    ['kernel: IPVS: Creating netns', 'IPVS: Creating netns', PrefixKind.dateless, null, false, 'kernel', -1],
    ['containerd[9897]: {"error":"failed', '{"error":"failed', PrefixKind.dateless, null, false, 'containerd', 9897],
    ['Jun 02 05:48:06 host kubelet[1]:', '', PrefixKind.monthDay, '2024-06-02T05:48:06.000000Z', true, 'kubelet', 1],
  ] as const)('%s', (line, payload, kind, ts, local, ident, pid) => {
    const r = peel(line);
    expect(r).toMatchObject({ payload, kind, ts, local, ident, pid });
  });

  it('keeps the stamp of a month-day line whose ident cannot be read', () => {
    const r = peel('Jun 02 05:48:06 some free text here');
    expect(r).toMatchObject({ kind: PrefixKind.monthDay, ts: '2024-06-02T05:48:06.000000Z', ident: null, payload: 'some free text here' });
  });

  it('places yearless stamps with the year tracker (Dec → Jan)', () => {
    const years = new YearTracker(2023);
    const p = newLinePrefix();
    const lines = ['Dec 31 23:59:59 h kubelet[1]: a', 'Jan 01 00:00:01 h kubelet[1]: b'];
    const got = lines.map((l) => (peelPrefix(l, p, years), formatIsoUs(p.ts)));
    expect(got).toEqual(['2023-12-31T23:59:59.000000Z', '2024-01-01T00:00:01.000000Z']);
  });
});

describe('collector layers', () => {
  it.each([
    ['messages-2024-05-08-1715162101.gz:2724:2024-05-07T10:26:23.142118+00:00 lnx69631 dockerd[52789]: time="x"', 'time="x"', 'dockerd', null],
    ['2724:Jun 02 05:48:06 h kubelet[9]: I0602', 'I0602', 'kubelet', null],
    ['2023-10-25T10:57:16.6624587Z     default: time="2023-10-25T10:53:37.652658888Z" level=warning', 'time="2023-10-25T10:53:37.652658888Z" level=warning', null, '2023-10-25T10:57:16.662458Z'],
    ['2023-10-25T10:57:16.6624587Z I0602 05:48:06.350695    4567 a.go:1] m', 'I0602 05:48:06.350695    4567 a.go:1] m', null, '2023-10-25T10:57:16.662458Z'],
    ['2022-04-16T10:00:17+00:00\tJun 02 05:48:06 h containerd[3]: x', 'x', 'containerd', '2022-04-16T10:00:17.000000Z'],
    ['198.51.100.10: {"ts":1755463071919.7622,"caller":"a"}', '{"ts":1755463071919.7622,"caller":"a"}', null, null],
    ['198.51.100.10: Jun 02 05:48:06 h kubelet[1]: I', 'I', 'kubelet', null],
    ['    Jun 02 05:48:06 h kubelet[1]: I', 'I', 'kubelet', null],
    ['node.log:12:    I0602 05:48:06.350695    4567 a.go:1] m', '    I0602 05:48:06.350695    4567 a.go:1] m', null, null],
    // Line 17 of a line that starts `10: `: hours and minutes would need seconds after them.
    ['17:10: kern  : warn', ' kern  : warn', null, null],
  ] as const)('%s', (line, payload, ident, outer) => {
    expect(peel(line)).toMatchObject({ payload, ident, outer });
  });

  it.each([
    'I0417 23:18:06.350695    1468 generic.go:191] "GenericPLEG: Relisting"',
    'time="2023-10-25T10:53:37.652658888Z" level=warning msg="unknown status" status=0',
    'INFO[2024-07-28T02:23:29.890473249+08:00] TaskExit event',
    'INFO[0000] starting containerd',
    '{"level":"info","msg":"x","time":"2024-03-01T10:00:00Z"}',
    '{"ts":1755463071919.7622,"caller":"app/server.go:520"}',
    '\tHTTP probe failed with statuscode: 503',
    ' >',
    '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:207 +0x8c',
    'goroutine 69 [running]:',
    'github.com/containerd/containerd/cmd/containerd/command.dumpStacks()',
    '2017-12-21 16:11:31.469 [INFO][4923] calico.go 87: Extracted identifiers',
    '12:34:56 something happened',
    'Calico CNI using IPs: [192.168.207.78/32]',
    '-- Logs begin at Tue 2022-09-06 18:34:56 UTC, end at Sun 2022-09-11 14:03:42 UTC. --',
    '',
  ])('leaves %j alone', (line) => {
    const r = peel(line);
    expect(r.kind).toBe(PrefixKind.none);
    expect(r.payload).toBe(line);
  });
});

describe('idents', () => {
  it.each([
    ['kubelet', 'kubelet'], ['kubelet_init', 'kubelet'], ['hyperkube', 'kubelet'],
    ['containerd', 'containerd'], ['cri-containerd', 'containerd'], ['start-containerd.sh', 'containerd'],
    ['containerd-shim', 'shim'], ['containerd-shim-runc-v2', 'shim'], ['dockerd', 'docker'], ['kernel', 'kernel'],
    ['systemd', 'systemd'], ['systemd-udevd', 'systemd'], ['CRON', 'CRON'], ['ntpd', 'ntpd'],
    // journalctl -o with-unit
    ['kubelet.service', 'kubelet'], ['containerd.service', 'containerd'], ['docker.service', 'docker'],
    ['systemd-journald.service', 'systemd'], ['init.scope', 'systemd'], ['chronyd.service', 'chronyd'], ['.service', '.service'],
  ])('%s → %s', (ident, origin) => {
    expect(originOfIdent(ident)).toBe(origin);
  });

  it('caches the origin of a repeated ident', () => {
    const idents = new IdentOrigins();
    const a = 'h kubelet[1]: x';
    const b = 'h kernel: y';
    expect(idents.at(a, 2, 9)).toBe('kubelet');
    expect(idents.at(a, 2, 9)).toBe('kubelet');
    expect(idents.at(b, 2, 8)).toBe('kernel');
    expect(idents.at('h kubeleT[1]', 2, 9)).toBe('kubeleT');
  });

  it('does not count a trailing CR as text', () => {
    expect(lineEnd('abc\r')).toBe(3);
    expect(lineEnd('abc')).toBe(3);
    expect(peel('Jun 02 05:48:06 h kubelet[1]: I\r').payload).toBe('I');
  });
});
