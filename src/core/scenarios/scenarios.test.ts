import { describe, expect, it } from 'vitest';
import { buildScenario, generateScenario, type ScenarioOptions } from './index';
import { RELIST, fileText, goroutineById, journalWallUs, klogWallUs, materialize, psiStampUs, relists, rfcUs, yearOf } from './test-helpers';

const MB = 1_048_576;
const JUNE = Date.UTC(2023, 5, 2, 5, 44, 12) * 1000 + 417_233;
const incident = (o: Partial<ScenarioOptions> = {}): ScenarioOptions => ({ scenario: 'io-storm-umount-bbolt', seed: 7, targetBytes: MB, startUs: JUNE, ...o });

const big = generateScenario(incident({ targetBytes: 20 * MB, seed: 11 }));
const bigFiles = materialize(big);
const small = generateScenario(incident());
const smallFiles = materialize(small);
const healthy = generateScenario({ scenario: 'healthy', seed: 7, targetBytes: MB, startUs: JUNE });
const healthyFiles = materialize(healthy);

function total(files: Map<string, string>): number {
  let n = 0;
  for (const t of files.values()) n += t.length;
  return n;
}

describe('determinism', () => {
  it('same options give identical bytes, and chunks() is re-iterable', () => {
    const again = materialize(buildScenario(incident()));
    expect(buildScenario(incident())).not.toBe(small);
    expect([...again.keys()]).toEqual([...smallFiles.keys()]);
    for (const [path, text] of smallFiles) expect(again.get(path), path).toBe(text);
    const f = small.files[0];
    expect(f && [...f.chunks()].join('')).toBe(smallFiles.get(f?.path ?? ''));
  });

  it('another seed changes ids, names and times', () => {
    const other = generateScenario(incident({ seed: 8, startUs: undefined }));
    const mine = generateScenario(incident({ startUs: undefined }));
    expect(other.truth.bootUs).not.toBe(mine.truth.bootUs);
    expect(other.truth.taskExits.map((t) => t.containerId)).not.toEqual(mine.truth.taskExits.map((t) => t.containerId));
    expect(other.truth.lockHolderGoroutine === mine.truth.lockHolderGoroutine && other.truth.dbPointer === mine.truth.dbPointer).toBe(false);
  });

  it('derives a start date in 2023-2025 from the seed', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const g = generateScenario({ scenario: 'healthy', seed, targetBytes: MB });
      const y = new Date(g.truth.bootUs / 1000).getUTCFullYear();
      expect(y).toBeGreaterThanOrEqual(2023);
      expect(y).toBeLessThanOrEqual(2026);
    }
  });
});

describe('size', () => {
  const cases: Record<string, [Map<string, string>, number]> = {
    '1 MB incident': [smallFiles, MB],
    '1 MB healthy': [healthyFiles, MB],
    '20 MB incident': [bigFiles, 20 * MB],
  };
  it.each(Object.keys(cases))('%s is within 10 %% of the target', (name) => {
    const [files, target] = cases[name] ?? [new Map<string, string>(), 1];
    const n = total(files);
    expect(n).toBeGreaterThan(target * 0.9);
    expect(n).toBeLessThan(target * 1.1);
  });

  it('approxBytes matches the content and kubelet/containerd are the largest files', () => {
    for (const f of big.files) {
      const n = fileText(bigFiles, f.path).length;
      expect(Math.abs(n - f.approxBytes)).toBeLessThan(Math.max(4096, n * 0.01));
    }
    const sizes = big.files.map((f) => ({ path: f.path, n: fileText(bigFiles, f.path).length })).sort((a, b) => b.n - a.n);
    expect(sizes.slice(0, 2).map((s) => s.path).sort()).toEqual([big.truth.paths.containerd, big.truth.paths.kubelet].sort());
  });

  it('yields chunks between 64 KiB and ~1 MiB (the last may be shorter)', () => {
    const f = big.files.find((x) => x.path === big.truth.paths.kubelet);
    const chunks = [...(f?.chunks() ?? [])];
    expect(chunks.length).toBeGreaterThan(5);
    chunks.slice(0, -1).forEach((c) => {
      expect(c.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(c.length).toBeLessThan(1.1 * MB);
    });
  });
});

describe('incident signal', () => {
  for (const [name, g, files] of [
    ['1 MB', small, smallFiles],
    ['20 MB', big, bigFiles],
  ] as const) {
    const t = g.truth;
    const year = yearOf(t.bootUs, t.zoneOffsetMin);

    it(`${name}: the relist gap is in the kubelet log at truth.plegGap`, () => {
      const rl = relists(fileText(files, t.paths.kubelet));
      expect(rl.length).toBe(t.relistCount);
      const us = rl.map((r) => klogWallUs(r.klog, year));
      let best = 0;
      for (let i = 1; i < us.length; i++) if ((us[i] ?? 0) - (us[i - 1] ?? 0) > (us[best] ?? 0) - (us[best - 1] ?? 0) || best === 0) best = i;
      expect(t.plegGap).toBeDefined();
      expect(us[best - 1]).toBe(t.plegGap?.fromUs);
      expect(us[best]).toBe(t.plegGap?.toUs);
      const gapSec = ((t.plegGap?.toUs ?? 0) - (t.plegGap?.fromUs ?? 0)) / 1e6;
      expect(gapSec).toBeGreaterThanOrEqual(30);
      expect(gapSec).toBeLessThanOrEqual(61);
      const others = us.slice(1).map((u, i) => u - (us[i] ?? 0)).filter((d) => d > 2e6);
      expect(others.length).toBe(1);
      // The stall sits inside the IO-pressure window.
      expect(t.plegGap?.fromUs).toBeGreaterThan(t.ioPressure?.fromUs ?? Infinity);
      expect(t.plegGap?.toUs).toBeLessThan(t.ioPressure?.toUs ?? 0);
    });

    it(`${name}: TaskExit errors, StopContainer errors and pulls match the truth`, () => {
      const cd = fileText(files, t.paths.containerd);
      const taskExit = cd.split('\n').filter((l) => l.includes('failed to handle container TaskExit event'));
      expect(taskExit.length).toBe(t.taskExitErrors);
      expect(t.taskExitErrors).toBeGreaterThan(0);
      taskExit.forEach((l, i) => {
        expect(l).toContain('context deadline exceeded');
        expect(l).toMatch(/&TaskExit\{ContainerID:[0-9a-f]{64},ID:[0-9a-f]{64},Pid:\d+,ExitStatus:0,ExitedAt:\d{4}-\d{2}-\d{2} [\d:.]+ \+0000 UTC,XXX_unrecognized:\[\],\}/);
        expect(rfcUs(/time="([^"]+)"/.exec(l)?.[1] ?? '')).toBe(t.taskExits[i]?.loggedAtUs);
      });
      const kl = fileText(files, t.paths.kubelet);
      expect(kl.split('\n').filter((l) => l.includes('"StopContainer from runtime service failed"')).length).toBe(t.stopContainerErrors);
      const pulling = kl.split('\n').filter((l) => /reason[=:] ?["']Pulling["']/.test(l));
      expect(pulling.length).toBe(t.imagePulls.length);
      expect(kl).toMatch(/Successfully pulled image \\?"[^"\\]+\\?" in \d+(\.\d+)?s/);
      expect(cd).toMatch(/level=info msg="starting signal loop" namespace=k8s.io path=\/run\/containerd\/io.containerd.runtime.v2.task\/k8s.io\/[0-9a-f]{64} pid=\d+ runtime=io.containerd.runc.v2/);
      expect(cd).toMatch(/msg="PullImage \\"[^"\\]+\\""/);
      expect(cd).toMatch(/msg="ImageCreate event &ImageCreate\{Name:/);
      expect(cd).toMatch(/msg="shim disconnected" id=[0-9a-f]{64} namespace=k8s.io/);
      expect(cd).toContain('msg="cleaning up dead shim"');
    });

    it(`${name}: the SIGUSR1 dump is one escaped logfmt line equal to the stacks file`, () => {
      const cd = fileText(files, t.paths.containerd).split('\n');
      const begin = cd.filter((l) => l.includes('=== BEGIN goroutine stack dump ==='));
      expect(begin.length).toBe(1);
      const msg = /msg="(.*)"$/.exec(begin[0] ?? '')?.[1] ?? '';
      const text = JSON.parse(`"${msg}"`) as string;
      const raw = fileText(files, t.paths.containerdStacks);
      expect(text).toBe(`=== BEGIN goroutine stack dump ===\n${raw}\n=== END goroutine stack dump ===`);
      expect(cd.some((l) => l.endsWith(`msg="goroutine stack dump written to /tmp/containerd.${t.pids.containerd}.stacks.log"`))).toBe(true);
    });

    it(`${name}: the goroutines link holder, waiter and readers through shared pointers`, () => {
      const dump = fileText(files, t.paths.containerdStacks);
      const holder = goroutineById(dump, t.lockHolderGoroutine ?? -1);
      expect(holder).toMatch(/^goroutine \d+ \[syscall, [1-9]\d* minutes\]:/);
      expect(holder).toContain('syscall.Fsync(');
      expect(holder).toContain('go.etcd.io/bbolt.(*DB).Update(');
      expect(holder).toContain('content/local.(*writer).Commit(');
      expect(holder).toContain(`metadata.(*DB).Update(${t.dbPointer},`);
      const waiter = goroutineById(dump, t.lockWaiterGoroutine ?? -1);
      expect(waiter).toMatch(/^goroutine \d+ \[semacquire\]:/);
      expect(waiter).toContain('sync.(*Mutex).lockSlow(');
      expect(waiter).toContain('go.etcd.io/bbolt.(*DB).beginRWTx(');
      expect(waiter).toContain(`metadata.(*DB).Update(${t.dbPointer},`);
      expect(waiter).toContain(`(*statusStorage).UpdateSync(${t.statusPointer},`);
      expect(waiter).toContain('UpdateContainerResources(');
      expect(t.statusWaiterGoroutines.length).toBeGreaterThan(0);
      for (const id of t.statusWaiterGoroutines) {
        const g = goroutineById(dump, id);
        expect(g).toContain('sync.(*RWMutex).RLock(...)');
        expect(g).toContain(`(*statusStorage).Get(${t.statusPointer}?)`);
      }
      expect(goroutineById(dump, t.statusWaiterGoroutines[0] ?? -1)).toContain('(*criService).ListContainers(');
      for (const id of t.bboltWaiterGoroutines) expect(goroutineById(dump, id)).toContain(`metadata.(*DB).Update(${t.dbPointer},`);
      const exit = goroutineById(dump, t.exitHandlerGoroutine ?? -1);
      expect(exit).toMatch(/^goroutine \d+ \[select, [1-9]\d* minutes\]:\ngithub.com\/containerd\/ttrpc.\(\*Client\).dispatch\(/);
      expect(exit).toContain('runtime/v2/task.(*taskClient).Delete(');
      expect(exit).toContain('pkg/cri/server.handleContainerExit(');
      const shim = goroutineById(fileText(files, t.paths.shimStacks), t.shimDeleteGoroutine ?? -1);
      expect(shim).toMatch(/^goroutine \d+ \[syscall, [1-9]\d* minutes\]:\nsyscall.Syscall\(/);
      for (const fn of ['golang.org/x/sys/unix.Unmount(', 'mount.UnmountAll(', 'pkg/process.(*Init).delete(', 'runc/task.(*service).Delete(']) expect(shim).toContain(fn);
      // Wait times never exceed the time containerd has been up.
      const upMin = (t.containerdDump.takenAtUs - t.bootUs) / 60e6;
      for (const m of dump.matchAll(/, (\d+) minutes/g)) expect(Number(m[1])).toBeLessThanOrEqual(upMin);
    });

    it(`${name}: PSI, iostat and vmstat show the storm, dmesg the hung shim`, () => {
      const from = t.ioPressure?.fromUs ?? 0;
      const to = t.ioPressure?.toUs ?? 0;
      const psi = fileText(files, t.paths.psiIo).split('\n');
      let maxIn = 0;
      let maxBefore = 0;
      let lastTotal = -1;
      for (let i = 0; i + 2 < psi.length; i += 3) {
        const at = psiStampUs(psi[i] ?? '', t.zoneOffsetMin);
        const some = /^some avg10=(\d+\.\d\d) avg60=\d+\.\d\d avg300=\d+\.\d\d total=(\d+)$/.exec(psi[i + 1] ?? '');
        expect(some, psi[i + 1]).not.toBeNull();
        expect(psi[i + 2]).toMatch(/^full avg10=\d+\.\d\d avg60=\d+\.\d\d avg300=\d+\.\d\d total=\d+$/);
        const avg10 = Number(some?.[1]);
        const tot = Number(some?.[2]);
        expect(tot).toBeGreaterThanOrEqual(lastTotal);
        lastTotal = tot;
        if (at > from + 15e6 && at < to) maxIn = Math.max(maxIn, avg10);
        if (at < from) maxBefore = Math.max(maxBefore, avg10);
      }
      expect(maxIn).toBeGreaterThan(60);
      expect(maxBefore).toBeLessThan(40);
      const io = fileText(files, t.paths.iostat);
      const rows = io.split('\n').filter((l) => /^(nvme0n1|vda|sda|xvda) /.test(l)).map((l) => l.trim().split(/\s+/).map(Number));
      expect(rows.some((r) => (r[22] ?? 0) > 90 && (r[11] ?? 0) > 100)).toBe(true);
      const vm = fileText(files, t.paths.vmstat).split('\n').filter((l) => /^\s*\d/.test(l)).map((l) => l.trim().split(/\s+/));
      expect(vm.some((r) => Number(r[15]) > 30 && Number(r[1]) > 4)).toBe(true);
      const dmesg = fileText(files, t.paths.dmesg);
      expect(dmesg).toContain(`INFO: task containerd-shim:${t.hungTask?.pid} blocked for more than 120 seconds.`);
      expect(dmesg).toMatch(/task:containerd-shim state:D stack: {4}0 pid: ?\d+ ppid: {5}1 flags:0x00004080/);
      for (const fn of ['ovl_sync_fs+0x59/0x90 [overlay]', 'sync_filesystem', 'generic_shutdown_super', 'cleanup_mnt']) expect(dmesg).toContain(fn);
      const hung = /^\[ *(\d+\.\d{6})\] INFO: task containerd-shim/m.exec(dmesg);
      expect(Math.abs(Number(hung?.[1]) - (t.hungTask?.uptimeSec ?? 0))).toBeLessThan(0.001);
      expect(dmesg).toMatch(/^\[ {4}0\.\d{6}\] rtc_cmos 00:00: setting system clock to \d{4}-\d\d-\d\dT[\d:]{8} UTC \(\d+\)$/m);
    });
  }

  it('kubelet carries noise: probes, volumes, HTTP, Calico CNI lines', () => {
    const kl = fileText(bigFiles, big.truth.paths.kubelet);
    for (const s of ['"Probe succeeded"', 'MountVolume.SetUp succeeded', '"HTTP" verb="GET"', 'Failed to process watch event', '"SyncLoop (PLEG): event for pod"', 'Populated endpoint ContainerID=']) expect(kl).toContain(s);
    expect(kl).toMatch(/^\w{3} \d\d [\d:.]{15} \S+ kubelet(_init)?\[\d+\]: \d{4}-\d\d-\d\d [\d:.]{12} \[INFO\]\[\d+\] k8s.go 386: Populated endpoint/m);
    const levels = new Set([...kl.matchAll(/\]: ([IWE])\d{4} /g)].map((m) => m[1]));
    expect([...levels].sort()).toEqual(['E', 'I', 'W']);
  });

  it('journald prefixes never go back in time', () => {
    const year = yearOf(big.truth.bootUs, 0);
    for (const path of [big.truth.paths.kubelet, big.truth.paths.containerd]) {
      let last = 0;
      for (const line of fileText(bigFiles, path).split('\n')) {
        if (!/^\w{3} \d\d /.test(line)) continue;
        const us = journalWallUs(line.slice(0, 22), year);
        expect(us, line.slice(0, 120)).toBeGreaterThanOrEqual(last);
        last = us;
      }
    }
  });

  it('a stall longer than 3 minutes makes kubelet report PLEG as unhealthy', () => {
    const g = generateScenario(incident({ plegGapSec: 200 }));
    const kl = fileText(materialize(g), g.truth.paths.kubelet);
    expect(g.truth.plegUnhealthyLines).toBeGreaterThan(0);
    const lines = kl.split('\n').filter((l) => l.includes('PLEG is not healthy: pleg was last seen active 3m'));
    expect(lines.length).toBe(g.truth.plegUnhealthyLines + 1); // + "Node became not ready"
    expect(lines[0]).toMatch(/err="\[container runtime status check may not have completed yet, PLEG is not healthy: pleg was last seen active 3m[\d.]+s ago; threshold is 3m0s\]"/);
    expect(((g.truth.plegGap?.toUs ?? 0) - (g.truth.plegGap?.fromUs ?? 0)) / 1e6).toBeCloseTo(200, 0);
    expect(small.truth.plegUnhealthyLines).toBe(0);
  });
});

describe('healthy control', () => {
  const t = healthy.truth;
  it('has steady relists, no errors, no pressure, no hung task', () => {
    expect(t.plegGap).toBeUndefined();
    expect(t.ioPressure).toBeUndefined();
    expect(t.taskExitErrors).toBe(0);
    expect(t.stopContainerErrors).toBe(0);
    expect(t.hungTask).toBeUndefined();
    expect(t.lockHolderGoroutine).toBeUndefined();
    const year = yearOf(t.bootUs, 0);
    const us = relists(fileText(healthyFiles, t.paths.kubelet)).map((r) => klogWallUs(r.klog, year));
    expect(us.length).toBe(t.relistCount);
    for (let i = 1; i < us.length; i++) expect((us[i] ?? 0) - (us[i - 1] ?? 0)).toBeLessThan(1.5e6);
    const cd = fileText(healthyFiles, t.paths.containerd);
    expect(cd).not.toContain('TaskExit event');
    expect(cd).toContain('=== BEGIN goroutine stack dump ===');
    expect(fileText(healthyFiles, t.paths.dmesg)).not.toContain('INFO: task');
    const dump = fileText(healthyFiles, t.paths.containerdStacks);
    expect(dump).not.toContain('beginRWTx');
    expect(dump).not.toContain('syscall.Fsync');
    expect(fileText(healthyFiles, t.paths.shimStacks)).not.toContain('Unmount');
    for (const m of fileText(healthyFiles, t.paths.psiIo).matchAll(/^some avg10=(\d+\.\d\d)/gm)) expect(Number(m[1])).toBeLessThan(30);
    const wa = fileText(healthyFiles, t.paths.vmstat).split('\n').filter((l) => /^\s*\d/.test(l)).map((l) => Number(l.trim().split(/\s+/)[15]));
    expect(Math.max(...wa)).toBeLessThan(30);
  });
});

describe('time options', () => {
  const utc = generateScenario(incident({ zoneOffsetMin: 0 }));
  const cst = generateScenario(incident({ zoneOffsetMin: 480 }));
  const fu = materialize(utc);
  const fc = materialize(cst);

  it('the zone shifts wall-clock stamps, not absolute ones', () => {
    expect({ ...cst.truth, zoneOffsetMin: 0 }).toEqual(utc.truth);
    const year = yearOf(utc.truth.bootUs, 0);
    const a = relists(fileText(fu, utc.truth.paths.kubelet));
    const b = relists(fileText(fc, cst.truth.paths.kubelet));
    expect(b.length).toBe(a.length);
    a.forEach((r, i) => {
      expect(klogWallUs(b[i]?.klog ?? '', year) - klogWallUs(r.klog, year)).toBe(8 * 3600e6);
      expect(journalWallUs(b[i]?.prefix ?? '', year) - journalWallUs(r.prefix, year)).toBe(8 * 3600e6);
    });
    const errs = (f: Map<string, string>, path: string): string[] => fileText(f, path).split('\n').filter((l) => l.includes('TaskExit event'));
    const eu = errs(fu, utc.truth.paths.containerd);
    const ec = errs(fc, cst.truth.paths.containerd);
    expect(ec.length).toBe(eu.length);
    eu.forEach((l, i) => {
      const tu = /time="([^"]+)"/.exec(l)?.[1] ?? '';
      const tc = /time="([^"]+)"/.exec(ec[i] ?? '')?.[1] ?? '';
      expect(tu.endsWith('Z')).toBe(true);
      expect(tc.endsWith('+08:00')).toBe(true);
      expect(rfcUs(tc)).toBe(rfcUs(tu));
      expect(journalWallUs((ec[i] ?? '').slice(0, 22), year) - journalWallUs(l.slice(0, 22), year)).toBe(8 * 3600e6);
    });
    expect(fileText(fc, cst.truth.paths.dmesg)).toBe(fileText(fu, utc.truth.paths.dmesg));
    const vu = fileText(fu, utc.truth.paths.vmstat).split('\n');
    const vc = fileText(fc, cst.truth.paths.vmstat).split('\n');
    expect(vu[1]?.endsWith(' UTC')).toBe(true);
    expect(vc[1]?.endsWith(' CST')).toBe(true);
    const stamp = (l: string | undefined): number => Date.parse(`${(l ?? '').slice(-19).replace(' ', 'T')}Z`);
    expect(stamp(vc[2]) - stamp(vu[2])).toBe(8 * 3600e3);
  });

  it('skew moves every stamp the node writes', () => {
    const skewed = generateScenario(incident({ skewUs: 5_000_000 }));
    expect((skewed.truth.plegGap?.fromUs ?? 0) - (small.truth.plegGap?.fromUs ?? 0)).toBe(5_000_000);
    expect(skewed.truth.taskExits[0]?.loggedAtUs).toBe((small.truth.taskExits[0]?.loggedAtUs ?? 0) + 5_000_000);
    const year = yearOf(small.truth.bootUs, 0);
    const a = relists(fileText(smallFiles, small.truth.paths.kubelet));
    const b = relists(fileText(materialize(skewed), skewed.truth.paths.kubelet));
    expect(klogWallUs(b[0]?.klog ?? '', year) - klogWallUs(a[0]?.klog ?? '', year)).toBe(5_000_000);
  });

  it('a capture on New Year\'s Eve crosses into the next year', () => {
    const g = generateScenario(incident({ startUs: Date.UTC(2024, 11, 31, 23, 52, 10) * 1000 }));
    const kl = fileText(materialize(g), g.truth.paths.kubelet);
    expect(kl).toMatch(/^Dec 31 23:5/m);
    expect(kl).toMatch(/^Jan 01 00:0/m);
    expect(kl).toMatch(/\]: I0101 00:0\d:\d\d\.\d{6} +\d+ generic\.go:191\] "GenericPLEG: Relisting"$/m);
    expect(RELIST.test(kl.split('\n').find((l) => l.includes('I0101')) ?? '')).toBe(true);
  });
});
