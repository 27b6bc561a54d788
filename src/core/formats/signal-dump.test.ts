// Go's dump of every goroutine on SIGQUIT (or SIGABRT with GOTRACEBACK=crash), printed unescaped
// to stderr: into kubelet's own log file after its klog lines, or one journal entry per line.
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { klogFormat } from './klog';
import { syslogFormat } from './syslog';
import { isoToUs, pad, pick, rng } from './test-helpers';
import { run } from './dmesg-test-helpers';
import type { ParserExtras } from './types';

const STATES = ['select', 'chan receive', 'IO wait', 'sync.Mutex.Lock', 'sync.RWMutex.RLock', 'semacquire', 'syscall'];

interface Planned { id: number; state: string; minutes: number; locked: boolean }

/** A signal dump of `gs` goroutines in the header form of Go ≥ 1.22 (`gp=… m=…`) or before. */
function signalDump(gs: Planned[], newHeaders: boolean, signal: string): string[] {
  const out = [signal, 'PC=0x47a5a1 m=0 sigcode=0', ''];
  for (const [n, g] of gs.entries()) {
    const wait = [g.state, g.minutes > 0 ? `${g.minutes} minutes` : '', g.locked ? 'locked to thread' : ''].filter(Boolean).join(', ');
    out.push(`goroutine ${g.id}${newHeaders ? ` gp=0xc00${pad(n, 4)}380 m=nil` : ''} [${wait}]:`);
    out.push('runtime.gopark(0xc0009bfd48?, 0x2?, 0x0?, 0x0?, 0xc0009bfcd4?)', '\t/usr/local/go/src/runtime/proc.go:402 +0xce fp=0xc0009bfc60 sp=0xc0009bfc40 pc=0x4435ce');
    out.push(`k8s.io/kubernetes/pkg/kubelet/pleg.(*GenericPLEG).Relist${n}(0xc000a2c000)`, `\t/go/src/k8s.io/kubernetes/pkg/kubelet/pleg/generic.go:${200 + n} +0x1f4`);
    out.push(`created by k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run in goroutine 1`, '\t/go/src/k8s.io/kubernetes/pkg/kubelet/kubelet.go:1623 +0x5a5', '');
  }
  out.push('rax    0xca', 'rbx    0x0', 'rip    0x47a5a3', 'rflags 0x286', 'cs     0x33', 'fs     0x0', 'gs     0x0');
  return out;
}

function plan(seed: number): { gs: Planned[]; newHeaders: boolean; signal: string; at: number } {
  const r = rng(seed);
  const ids = new Set<number>();
  while (ids.size < 3 + Math.floor(r() * 12)) ids.add(Math.floor(r() * 5000));
  const gs = [...ids].map((id) => ({ id, state: pick(r, STATES), minutes: r() < 0.5 ? 0 : 1 + Math.floor(r() * 30), locked: r() < 0.15 }));
  const at = isoToUs('2024-06-02T03:51:09.552436Z') + Math.floor(r() * 86_400) * 1_000_000;
  return { gs, newHeaders: r() < 0.6, signal: r() < 0.8 ? 'SIGQUIT: quit' : 'SIGABRT: abort', at };
}

function klogAt(us: number, msg: string): string {
  const d = new Date(us / 1000);
  return `I${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)} ${d.toISOString().slice(11, 19)}.${pad(us % 1_000_000, 6)}    1679 setters.go:728] "${msg}"`;
}

function expectDump(extras: ParserExtras, gs: Planned[], takenAt: number): void {
  expect(extras.dumps).toHaveLength(1);
  const d = extras.dumps![0]!;
  expect(d.process).toBe('kubelet');
  expect(d.truncated).toBe(false);
  expect(d.takenAt).toBe(takenAt);
  expect(d.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.lockedToThread, g.frames.length, g.createdByGoroutine]))
    .toEqual(gs.map((g) => [g.id, g.state, g.minutes, g.locked, 2, 1]));
}

describe('Go signal dumps in kubelet logs', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = plan(seed * 7_919);
    const dump = signalDump(p.gs, p.newHeaders, p.signal);

    it(`seed ${seed}: after klog lines in kubelet.log (${p.gs.length} goroutines, ${p.signal})`, () => {
      const lines = [klogAt(p.at - 2_000_000, 'Node became not ready'), klogAt(p.at, 'Stopping kubelet'), ...dump, klogAt(p.at + 9_000_000, 'Starting kubelet')];
      const { parsed, extras } = run(klogFormat, lines, { path: 'kubelet.log' });
      expectDump(extras, p.gs, p.at);
      // The dump continues the record before it; the next klog line is a record again.
      expect(parsed.slice(2, 2 + dump.length).every((l) => l.continuation)).toBe(true);
      expect(parsed.at(-1)!.continuation).toBe(false);
    });

    it(`seed ${seed}: one journal entry per line, tabs kept or shown as spaces`, () => {
      const tabs = seed % 2 === 0 ? '\t' : '        ';
      const d = new Date(p.at / 1000);
      const prefix = `${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${d.toISOString().slice(11, 19)} node-8`;
      const lines = [
        `${prefix} kubelet[1680]: ${klogAt(p.at - 1_000_000, 'Stopping kubelet')}`,
        ...dump.map((l) => `${prefix} kubelet[1680]: ${l.replace(/^\t/, tabs)}`),
        `${prefix} systemd[1]: kubelet.service: Main process exited, code=exited, status=2/INVALIDARGUMENT`,
      ];
      const { parsed, extras } = run(syslogFormat, lines, { path: 'journal.txt' });
      expectDump(extras, p.gs, Math.floor(p.at / 1_000_000) * 1_000_000);
      expect(extras.dumps![0]!.pid).toBe(1680);
      // The signal line is a fatal record; the dump is its trace, not a hundred records of their own.
      expect(parsed[1]!.level).toBe(Level.fatal);
      expect(parsed.slice(2, 1 + dump.length).every((l) => l.continuation)).toBe(true);
      expect(parsed.at(-1)!.origin).toBe('systemd');
    });
  }
});
