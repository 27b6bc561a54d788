// A kernel hung-task report spliced into generated healthy nodes (several seeds, zones, noise
// levels, tasks, kernels, frames), as journald prints it (`kernel:` lines in a journal) and as a
// raw dmesg file holds it. It is one hung-task finding; none of its lines is also a problem.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../analysis/types';
import type { ScenarioOptions } from '../scenarios';
import { Rng } from '../scenarios/rng';
import { analyzeFiles, generatedNode, JournalAdditions, splice } from './test-incidents';

const MB = 1_048_576;
const SEC = 1_000_000;

/** One report's kernel messages, 5.10+ layout, with frames that vary with the seed. */
function report(rng: Rng): { task: string; lines: string[] } {
  const task = ['containerd-shim', 'dockerd', 'kworker/u16:3', 'runc:[2:INIT]', 'jbd2/nvme0n1p1-8'][rng.int(0, 4)]!;
  const pid = rng.int(300, 60000);
  const secs = [120, 241, 362, 483][rng.int(0, 3)]!;
  const kernel = `${rng.int(5, 6)}.${rng.int(10, 19)}.0-${rng.int(10, 99)}-generic #${rng.int(50, 120)}-Ubuntu`;
  const off = () => `0x${rng.int(16, 4095).toString(16)}/0x${rng.int(4096, 8191).toString(16)}`;
  const frames = ['__schedule', 'schedule', 'rwsem_down_write_slowpath', 'down_write', 'ovl_sync_fs', 'sync_filesystem', 'generic_shutdown_super', 'kill_anon_super', 'deactivate_locked_super', 'cleanup_mnt', 'task_work_run', 'exit_to_user_mode_prepare', 'syscall_exit_to_user_mode', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];
  const n = rng.int(6, frames.length);
  return {
    task,
    lines: [
      `INFO: task ${task}:${pid} blocked for more than ${secs} seconds.`,
      `      Not tainted ${kernel}`,
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      `task:${task.padEnd(15)} state:D stack:    0 pid:${String(pid).padStart(5)} ppid:     1 flags:0x0000${rng.int(1000, 9999)}`,
      'Call Trace:',
      ' <TASK>',
      ...frames.slice(0, n).map((f) => ` ${rng.int(0, 3) === 0 ? '? ' : ''}${f}+${off()}`),
      ' </TASK>',
    ],
  };
}

async function hungNode(o: ScenarioOptions, where: 'journal' | 'dmesg'): Promise<{ findings: Finding[]; task: string }> {
  const { g, files, cPath, id } = generatedNode(o);
  const rng = new Rng(o.seed * 17 + (where === 'dmesg' ? 1 : 0));
  const { task, lines } = report(rng);
  const at = g.truth.capture.fromUs + rng.int(200, 400) * SEC;
  if (where === 'journal') {
    const add = new JournalAdditions(id.zoneOffsetMin);
    lines.forEach((l, i) => add.add(at + i * 7, 'kernel', l, id.host));
    files.set(cPath, splice(files.get(cPath)!, add, id.year));
  } else {
    // Raw dmesg: seconds since boot, after the boot messages the generator wrote.
    const up = rng.int(3000, 90000) + rng.int(0, 999999) / 1e6;
    const stamp = (i: number) => `[${(up + i * 1e-6).toFixed(6).padStart(12)}] `;
    const dPath = g.truth.paths.dmesg;
    files.set(dPath, `${files.get(dPath)!.replace(/\n?$/, '\n')}${lines.map((l, i) => stamp(i) + l).join('\n')}\n`);
  }
  const r = await analyzeFiles(files);
  return { findings: r.result!.findings, task };
}

const bases: ScenarioOptions[] = [
  { scenario: 'healthy', seed: 33, targetBytes: 2 * MB, zoneOffsetMin: 330, skewUs: 0, noise: 0.5, startUs: Date.UTC(2024, 1, 11, 7, 30, 0) * 1000 },
  { scenario: 'healthy', seed: 76, targetBytes: 2 * MB, zoneOffsetMin: -480, skewUs: 20 * SEC, noise: 1, startUs: Date.UTC(2023, 10, 5, 19, 4, 27) * 1000 },
  { scenario: 'healthy', seed: 109, targetBytes: 3 * MB, zoneOffsetMin: 60, skewUs: -5 * SEC, noise: 0.1, startUs: Date.UTC(2025, 7, 21, 0, 59, 30) * 1000 },
];

describe.each(bases)('hung task on healthy seed $seed, zone $zoneOffsetMin, noise $noise', (o) => {
  it.each(['journal', 'dmesg'] as const)('in a %s file: one hung-task finding, no problem from its lines', { timeout: 60_000 }, async (where) => {
    const r = await hungNode(o, where);
    const hung = r.findings.filter((f) => f.kind === 'hung-task');
    expect(hung.map((f) => f.facts.task)).toEqual([r.task]);
    const kernelProblems = r.findings.filter((f) => f.kind === 'log-problem' && f.facts.origin === 'kernel');
    expect(kernelProblems.map((f) => f.title)).toEqual([]);
  });
});
