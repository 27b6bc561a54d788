import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectProblems, messageOf, templateOf } from './problems';
import { containerdLine, inputOf, kinds, kubeletLine } from './test-helpers';
import { Rng } from '../scenarios/rng';

const T0 = Date.UTC(2023, 5, 2, 5, 0, 0) * 1000;
const SEC = 1e6;

/** An incident no pattern knows (pods evicted for disk, OOM kills), with other pods, ids, hosts and noise per seed. */
function bundle(seed: number): { files: Record<string, string>; evictions: number; ooms: number } {
  const rng = new Rng(seed);
  const rnd = () => rng.float();
  const host = `ip-10-${Math.floor(rnd() * 250)}-${Math.floor(rnd() * 250)}-${Math.floor(rnd() * 250)}`;
  const kubelet: string[] = [];
  const containerd: string[] = [];
  const dmesg: string[] = [];
  let evictions = 0;
  let ooms = 0;
  for (let i = 0; i < 600; i++) {
    const t = T0 + i * SEC + Math.floor(rnd() * 1e5);
    const pod = `team-${Math.floor(rnd() * 9)}/api-${Math.floor(rnd() * 1e6).toString(16)}-${Math.floor(rnd() * 1e4)}`;
    const r = rnd();
    if (r < 0.1) {
      evictions++;
      kubelet.push(kubeletLine(t, 'W', 'eviction_manager.go:366', `"Eviction manager: pods ranked for eviction" pods=["${pod}"] resourceName="ephemeral-storage"`, host));
    } else if (r < 0.15) {
      kubelet.push(kubeletLine(t, 'E', 'pod_workers.go:1294', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff" pod="${pod}" podUID="${crypto.randomUUID()}"`, host));
    } else {
      kubelet.push(kubeletLine(t, 'I', 'kubelet.go:2440', `"SyncLoop (probe)" probe="readiness" status="ready" pod="${pod}"`, host));
    }
    if (rnd() < 0.05) containerd.push(containerdLine(t, 'error', 'RemoveContainer failed', `error="rpc error: code = Unknown desc = failed to remove ${Math.floor(rnd() * 1e15).toString(16)}: device or resource busy"`, host));
    if (rnd() < 0.02) {
      ooms++;
      const iso = new Date(t / 1000).toISOString().slice(0, 19);
      dmesg.push(`${iso},${String(t % 1e6).padStart(6, '0')}+00:00 Out of memory: Killed process ${1000 + Math.floor(rnd() * 30000)} (java) total-vm:${Math.floor(rnd() * 1e7)}kB, anon-rss:${Math.floor(rnd() * 1e6)}kB`);
    }
  }
  return { files: { 'journal/kubelet.log': `${kubelet.join('\n')}\n`, 'journal/containerd.log': `${containerd.join('\n')}\n`, 'dmesg.log': `${dmesg.join('\n')}\n` }, evictions, ooms };
}

describe('problems detector', () => {
  it.each([1, 2, 3, 42])('groups warnings and errors by template across pods, ids and hosts (seed %i)', async (seed) => {
    const b = bundle(seed);
    const found = kinds(detectProblems(await inputOf(b.files)), 'log-problem');
    const byTitle = (re: RegExp) => found.filter((f) => re.test(f.title));
    const evictions = byTitle(/^kubelet: \d+× "Eviction manager: pods ranked for eviction"/);
    expect(evictions).toHaveLength(1);
    expect(evictions[0]!.facts.count).toBe(b.evictions);
    expect(evictions[0]!.severity).toBe('info');
    const crash = byTitle(/^kubelet: \d+× "Error syncing pod, skipping" err=.*CrashLoopBackOff" pod=… podUID=…$/);
    expect(crash).toHaveLength(1);
    expect(crash[0]!.severity).toBe('warn');
    expect(byTitle(/^containerd: \d+× RemoveContainer failed: rpc error: .*device or resource busy/)).toHaveLength(1);
    if (b.ooms > 0) {
      const oom = byTitle(/^kernel: \d+× .*Out of memory: Killed process/);
      expect(oom).toHaveLength(1);
      expect(oom[0]!.facts.count).toBe(b.ooms);
    }
    // Errors rank before warnings; routine info lines are not problems.
    expect(found[0]!.facts.level).toBeGreaterThanOrEqual(5);
    expect(found.some((f) => f.title.includes('SyncLoop (probe)'))).toBe(false);
    for (const f of found) expect(f.evidence.length).toBeGreaterThan(0);
  });

  it('a program dying (logrus fatal, a Go panic on stderr) is an error finding, not an observation', async () => {
    const lines = [
      'Jun 03 05:48:05.220000 ip-10-0-1-23 containerd[912]: time="2024-06-03T05:48:05.219902002Z" level=fatal msg="Failed to run CRI service" error="failed to recover state: name is reserved"',
      'Jun 03 05:48:12.733001 ip-10-0-1-23 containerd[2231]: panic: runtime error: invalid memory address or nil pointer dereference',
      'Jun 03 05:48:13.000001 ip-10-0-1-23 containerd[2240]: time="2024-06-03T05:48:13.000000001Z" level=error msg="failed to load plugin"',
    ];
    const found = kinds(detectProblems(await inputOf({ 'journal/containerd.log': `${lines.join('\n')}\n` })), 'log-problem');
    const severity = (re: RegExp) => found.find((f) => re.test(f.title))?.severity;
    expect(severity(/Failed to run CRI service/)).toBe('error');
    expect(severity(/panic: runtime error/)).toBe('error');
    expect(severity(/failed to load plugin/)).toBe('warn');
  });

  it('lines past another finding\'s evidence cap are that finding\'s, not a problem of their own', async () => {
    const r = new Rng(7);
    const lines = Array.from({ length: 80 }, (_, i) => kubeletLine(T0 + i * 7 * SEC, 'E', 'pod_workers.go:1294', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=web-${r.int(1, 9)}\\"" pod="shop/web-${r.int(1, 9)}"`));
    const other = kubeletLine(T0 + 3 * SEC, 'E', 'kubelet.go:1', '"Unrelated failure" err="boom"');
    const input = await inputOf({ 'kubelet.log': `${[...lines.slice(0, 3), other, ...lines.slice(3)].join('\n')}\n` });
    const loop = input.signals.filter((s) => s.text.includes('CrashLoopBackOff'));
    // A finding citing the first 20 of the 80 (as a capped finding does).
    const capped = { id: 'x', detector: 'memory', kind: 'oom-crashloop', title: 't', severity: 'error' as const, from: loop[0]!.ts, to: loop[19]!.ts, strength: 1, facts: {},
      evidence: loop.slice(0, 20).map((s) => ({ kind: 'line' as const, fileId: s.fileId, sourceId: s.sourceId, line: s.line, offset: s.offset, ts: s.ts })) };
    const found = kinds(detectProblems(input, [capped]), 'log-problem');
    expect(found.map((f) => f.title)).toEqual(['kubelet: 1× "Unrelated failure" err="boom"']);
  });

  it('templates mask ids, numbers and field values but keep the error', () => {
    expect(templateOf('"Error syncing pod" err="image pull failed for nginx:1.25" pod="a/b-123" podUID="0f1e2d3c-aaaa-bbbb-cccc-0123456789ab"'))
      .toBe('"Error syncing pod" err="image pull failed for nginx:#" pod=… podUID=…');
    expect(templateOf('failed to remove 4a3f9c2e1b0d7788: busy')).toBe('failed to remove #: busy');
    // Digits inside a word name the thing; numbers on their own vary; kern.log's uptime stamp goes.
    expect(templateOf('[ 6141.921740] blk_update_request: I/O error, dev nvme1n1, sector 81920 op 0x1:(WRITE)')).toBe('blk_update_request: I/O error, dev nvme1n1, sector # op #:(WRITE)');
    expect(templateOf('EXT4-fs (sda1): Remounting filesystem read-only')).toBe('EXT4-fs (sda1): Remounting filesystem read-only');
    expect(templateOf('node ubuntu-w4 lost 3 pods')).toBe('node ubuntu-w4 lost # pods');
    // kubelet names a pod as name_namespace(uid): every pod's sandbox failure is one message.
    const sync = (pod: string) => templateOf(`"Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"${pod}(6780f7e5-3433-4dd4-8dcc-17b52c99254b)\\" with CreatePodSandboxError"`);
    expect(sync('coredns-787cb67946-nrk8g_kube-system')).toBe(sync('coredns-6d4b75cb6d-x2kqz_kube-system'));
    expect(sync('coredns-787cb67946-nrk8g_kube-system')).toContain('coredns-#-#_kube-system');
    expect(templateOf('failed to remove 3a9f2c: busy')).toBe(templateOf('failed to remove 17bd0: busy'));
    expect(templateOf('deadline exceeded on face')).toBe('deadline exceeded on face');
    expect(templateOf('failed to get fsstats for "/var/log/pods/web_storefront-x9m2h-p4sd_b1e2/app": no such file'))
      .toBe('failed to get fsstats for "<path>": no such file');
    expect(templateOf('probe failed for api-7d9f8b6c4-x2kqz')).toBe(templateOf('probe failed for api-5c6b7d8f9-pnsbz'));
    expect(templateOf('probe failed for api-7d9f8b6c4-x2kqz')).toBe('probe failed for api-#-#');
    expect(messageOf('Jun 02 05:48:06.350695 node-3 kubelet[1680]: E0602 05:48:06.350695    1680 pod_workers.go:1294] "boom" x=1')).toBe('"boom" x=1');
    expect(messageOf('Jun 02 05:48:06 n containerd[1]: time="2023-06-02T05:48:06Z" level=error msg="bad thing" error="disk full"')).toBe('bad thing: disk full');
    expect(messageOf('[  12.000000] Out of memory: Killed process 7 (java)')).toBe('Out of memory: Killed process 7 (java)');
    expect(messageOf('2023-06-02T05:00:34,068925+00:00 Out of memory: x')).toBe('Out of memory: x');
    expect(messageOf('Jun 02 05:48:06 node-3 kernel: Out of memory: x')).toBe('Out of memory: x');
    expect(messageOf('2024-06-02T05:48:10.000000000Z stdout F [ERROR] plugin/errors: 2 example.org. A: i/o timeout')).toBe('[ERROR] plugin/errors: 2 example.org. A: i/o timeout');
    expect(messageOf('2024-06-02T13:48:10.5+08:00 stderr P E0602 05:48:10.500000       1 reflector.go:147] failed to list')).toBe('failed to list');
    expect(messageOf('{"level":"error","ts":"2024-06-02T05:48:07.350Z","caller":"main.go:42","msg":"Failed to talk to API server","error":"dial tcp 10.100.0.1:443: i/o timeout"}'))
      .toBe('Failed to talk to API server: dial tcp 10.100.0.1:443: i/o timeout');
    expect(messageOf('{"log":"E0602 05:48:07.350601       1 reflector.go:147] failed to list *v1.Service\\n","stream":"stderr","time":"2024-06-02T05:48:07.350695123Z"}'))
      .toBe('failed to list *v1.Service');
  });

  it('masks a UUID inside free text as one id, whatever letters its groups hold', () => {
    // The suffix rule used to mask only the groups holding a digit, so "-fabe-" split one problem per pod.
    fc.assert(fc.property(fc.uuid(), fc.uuid(), (a, b) => {
      const t = (u: string) => templateOf(`orphaned pod "${u}" found, but error not a directory occurred when trying to remove the volumes dir`);
      expect(t(a)).toBe(t(b));
      expect(t(a)).toBe('orphaned pod "#" found, but error not a directory occurred when trying to remove the volumes dir');
    }));
    expect(templateOf('orphaned pod "3f2a9c1e-fabe-4c2d-dcba-0123456789ab" found')).toBe('orphaned pod "#" found');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => {
      expect(typeof templateOf(messageOf(t))).toBe('string');
    }));
  });
});
