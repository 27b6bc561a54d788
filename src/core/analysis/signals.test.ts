import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { SIGNAL_CAPS, SignalTap } from './signals';
import { inputOf } from './test-helpers';

const take = (tap: SignalTap, text: string, origin = 'kubelet', level: number = Level.info, line = 0) =>
  tap.take(text, origin, level, 1e15, true, false, line, line * 100);
const K = 'Jun 02 05:48:06.350695 node-3 kubelet[1680]: I0602 05:48:06.350695    1680 ';

describe('signal tap', () => {
  it('keeps relists without text, and the few lines detectors read', () => {
    const tap = new SignalTap();
    take(tap, `${K}generic.go:191] "GenericPLEG: Relisting"`, 'kubelet', Level.info, 0);
    take(tap, `${K}generic.go:191] GenericPLEG: Relisting`, 'kubelet', Level.info, 1);
    take(tap, `${K}event.go:291] "Event occurred" object="a/b" kind="Pod" reason="Pulling" message="Pulling image \\"x:1\\""`, 'kubelet', Level.info, 2);
    take(tap, `${K}kubelet.go:2130] "SyncLoop (PLEG): event for pod" pod="a/b"`, 'kubelet', Level.info, 3);
    take(tap, `${K}prober.go:116] "Probe failed" output="context deadline exceeded"`, 'kubelet', Level.info, 4);
    take(tap, `${K}remote_runtime.go:276] "StopContainer from runtime service failed" err="rpc error: code = DeadlineExceeded"`, 'kubelet', Level.error, 5);
    take(tap, 'time="2023-06-15T06:39:46Z" level=debug msg="PullImage \\"x:1\\""', 'containerd', Level.debug, 6);
    take(tap, 'time="2023-06-15T06:39:46Z" level=info msg="shim disconnected" id=abc', 'containerd', Level.info, 7);
    const got = [...tap.bySource.entries()].flatMap(([o, l]) => l.map((s) => [o, s.kind, s.line, s.text === '' ? 'no text' : 'text']));
    expect(got).toEqual([
      ['kubelet', 'relist', 0, 'no text'], ['kubelet', 'relist', 1, 'no text'], ['kubelet', 'pull', 2, 'text'], ['kubelet', 'runtime', 5, 'text'],
      ['containerd', 'runtime', 7, 'text'],
    ]);
    expect(tap.bySource.get('kubelet')![0]).toMatchObject({ basis: 1, offset: 0, ts: 1e15 });
  });

  it('finds relists inside JSON records (klog JSON, journal JSON)', () => {
    const tap = new SignalTap();
    take(tap, '{"ts":1686220086350.695,"caller":"pleg/generic.go:191","msg":"GenericPLEG: Relisting","v":5}', 'kubelet', Level.info, 0);
    take(tap, `{ "__CURSOR" : "s=1", "PRIORITY" : "6", "SYSLOG_IDENTIFIER" : "kubelet", ${'"_X" : "y", '.repeat(60)}"MESSAGE" : "I0602 05:48:06.350695    1680 generic.go:191] \\"GenericPLEG: Relisting\\"" }`, 'kubelet', Level.info, 1);
    take(tap, `{ "MESSAGE" : "I0602 05:48:06.350695    1680 event.go:291] \\"Event occurred\\" reason=\\"Pulled\\" ${'z'.repeat(900)}" }`, 'kubelet', Level.info, 2);
    expect(tap.bySource.get('kubelet')!.map((s) => [s.kind, s.line])).toEqual([['relist', 0], ['relist', 1], ['pull', 2]]);
    expect(tap.bySource.get('kubelet')![2]!.text).toContain('Pulled');
  });

  it('cuts long lines around the match and caps each kind', () => {
    const tap = new SignalTap();
    take(tap, `${'x'.repeat(5000)} failed to handle container TaskExit event ${'y'.repeat(5000)}`, 'containerd', Level.error);
    const [s] = tap.bySource.get('containerd')!;
    expect(s!.text.length).toBeLessThanOrEqual(600);
    expect(s!.text).toContain('TaskExit');
    for (let i = 0; i < SIGNAL_CAPS.pleg + 10; i++) take(tap, `${K}kubelet.go:1877] "Skipping pod synchronization" err="PLEG is not healthy"`, 'kubelet', Level.error, i);
    expect(tap.bySource.get('kubelet')!.length).toBe(SIGNAL_CAPS.pleg);
    expect(tap.dropped).toBe(10);
  });
});

describe('klog key=< blocks', () => {
  // kubelet 1.27+ prints a multi-line value as `key=<`, its lines indented by a tab, then ` > ` and the other keys.
  const head = (pid: number) => `E0603 05:48:06.350695    ${pid} pod_workers.go:1298] "Error syncing pod, skipping" err=<`;
  const block = [
    'failed to "KillPodSandbox" for "3f1c2a7e-8b0d-4e5f-9a1b-2c3d4e5f6a7b" with KillPodSandboxError: "rpc error: code = Unknown desc = failed to destroy network for sandbox \\"4b1e0c\\": plugin type=\\"calico\\" failed (delete): error getting ClusterInformation: connection is unauthorized: Unauthorized"',
    'failed to "StartContainer" for "web" with CrashLoopBackOff: "back-off 40s restarting failed container=web"',
  ];
  const tail = ' > pod="default/web-7d9f8b6c5d-x2kqp" podUID="3f1c2a7e-8b0d-4e5f-9a1b-2c3d4e5f6a7b"';
  const after = 'I0603 05:48:08.000101    2107 kubelet.go:2460] "SyncLoop (probe)" probe="readiness" status="" pod="default/web-7d9f8b6c5d-x2kqp"';
  const journal = (text: string) => `Jun 03 05:48:06.350695 node-b kubelet[2107]: ${text}`;
  it.each([
    ['raw klog', [head(2107), ...block.map((l) => `\t${l}`), tail, after]],
    ['journal, tab kept', [head(2107), ...block.map((l) => `\t${l}`), tail, after].map(journal)],
    ['journal, tab shown as spaces', [head(2107), ...block.map((l) => `        ${l}`), tail, after].map(journal)],
    ['block at the end of the file', [head(2107), ...block.map((l) => `\t${l}`)]],
  ])('classify the record by what its block says (%s)', async (_, lines) => {
    const input = await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` });
    const kept = input.signals.filter((s) => s.text.includes('Error syncing pod'));
    expect(kept).toHaveLength(1);
    // The sandbox teardown failure inside the block makes it the network family's line, with the record's place.
    expect(kept[0]!.kind).toBe('network');
    expect(kept[0]!.line).toBe(0);
    expect(kept[0]!.text).toContain('ClusterInformation: connection is unauthorized');
    if (lines.length > 4) expect(kept[0]!.text).toContain('podUID="3f1c2a7e');
  });

  it('keeps a record without a block as it was, and a block never swallows the next record', async () => {
    const lines = [head(2107), ' > pod="default/web"', `E0603 05:48:07.000001    2107 kubelet.go:1] "Failed to pull image" err="rpc error" image="registry.example.com/web:v1"`];
    const input = await inputOf({ 'kubelet.log': `${lines.join('\n')}\n` });
    expect(input.signals.map((s) => s.kind)).toEqual(['problem', 'pull']);
    expect(input.signals[0]!.text).toContain('pod="default/web"');
    expect(input.signals[1]!.text).not.toContain('Error syncing pod');
  });
});
