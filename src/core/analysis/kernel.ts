// Kernel: hung-task reports (a task in D state for longer than hung_task_timeout_secs), the
// interesting ones being overlayfs sync during umount: writeback forced by an unmount; and a
// storage device failing (I/O errors, controller resets and timeouts, a file system remounted
// read-only or shut down), which stalls everything that writes to it as load never does.

import type { AnalysisInput, Finding, LineSignal } from './types';
import { SEC, clamp01, clusters, finish, lineEvidence, originOf, type NewFinding } from './util';

/** A device's errors further apart than this are another episode. */
const EPISODE_GAP_US = 10 * 60 * SEC;
const MAX_EVIDENCE = 500;

/** What a kernel line says about a device, and which device: the first pattern that matches. */
const DEVICE_LINES: [RegExp, 'io' | 'reset' | 'fs' | 'readonly'][] = [
  [/Remounting filesystem read-only|[Ss]hutting down filesystem|(?:xfs|XFS).{0,80}[Ss]hut ?down/, 'readonly'],
  [/nvme\d+: (?:I\/O \d+ QID \d+ timeout|controller is down|[Rr]emoving after probe failure)|reset controller|Emask 0x|hard resetting link/, 'reset'],
  [/EXT4-fs error|XFS \([^)]{1,64}\): .{0,200}(?:[Ee]rror|[Cc]orrupt)|[Bb]uffer I\/O error on dev|journal has aborted|Detected aborted journal/, 'fs'],
  [/I\/O error|[Mm]edium [Ee]rror|blk_update_request|FAILED Result/, 'io'],
];
/** The device a line names: `dev nvme1n1`, `(device sda1)`, `EXT4-fs (sdb)`, `XFS (dm-3)`, `nvme nvme1:`, `[sda]`, `ata3.00:`. */
const DEVICE = /\bdev(?:ice)? ([a-z][\w-]{1,30})|(?:EXT4-fs|XFS) \(([\w-]{1,30})\)|\bnvme (nvme\d+):|\[(sd[a-z]+)\]|\b(ata\d+)(?:\.\d+)?:/;

const NOT_A_DISK = /^(?:loop|fd|sr|ram|zram)\d+$/;

/** nvme1n1p2 → nvme1n1, sda3 → sda, nvme1 (the controller) → nvme1n1: one disk, whatever part of it a line names. */
function diskOf(device: string): string {
  const nvme = /^(nvme\d+)(?:n(\d+))?/.exec(device);
  if (nvme) return `${nvme[1]}n${nvme[2] ?? '1'}`;
  const sd = /^((?:sd|vd|xvd|hd)[a-z]+)\d*$/.exec(device);
  return sd ? sd[1]! : device;
}

export function detectKernel(input: AnalysisInput): Finding[] {
  const out: NewFinding[] = [];
  for (const e of input.events) {
    if (e.kind !== 'hung-task') continue;
    const task = String(e.fields.task ?? '');
    const blockedSeconds = Number(e.fields.blockedSeconds) || 0;
    const stack = e.stack.join('\n');
    const overlaySync = /\b(ovl_sync_fs|sync_filesystem)\b/.test(stack);
    const umount = /umount/i.test(stack) || /umount/i.test(task);
    out.push({
      kind: 'hung-task', title: `Kernel: ${task || 'a task'} blocked for more than ${blockedSeconds} s${overlaySync ? ' in overlayfs sync' : ''}${umount ? ' (umount)' : ''}`,
      severity: 'error', from: e.ts - blockedSeconds * SEC, to: e.ts, strength: clamp01(0.5 + (overlaySync ? 0.3 : 0) + (umount ? 0.1 : 0) + blockedSeconds / 1200),
      facts: { task, pid: Number(e.fields.pid) || 0, blockedSeconds, overlaySync, umount },
      evidence: [{ kind: 'event', fileId: e.fileId, eventId: e.id, line: e.line, ts: e.ts }],
    });
  }
  out.push(...deviceErrors(input.signals));
  return finish('kernel', out);
}

/** One finding per disk and episode of errors, with what kinds of failure it showed. */
function deviceErrors(signals: LineSignal[]): NewFinding[] {
  const byDisk = new Map<string, { s: LineSignal; what: string }[]>();
  for (const s of signals) {
    if (s.kind !== 'problem' || originOf(s.sourceId) !== 'kernel') continue;
    const what = DEVICE_LINES.find(([re]) => re.test(s.text))?.[1];
    if (!what) continue;
    const m = DEVICE.exec(s.text);
    const device = m ? (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])! : 'unknown';
    // A VM's absent floppy, an empty CD drive and snap loop devices log I/O errors on healthy nodes.
    if (NOT_A_DISK.test(device)) continue;
    const disk = diskOf(device);
    const list = byDisk.get(disk);
    if (list) list.push({ s, what });
    else byDisk.set(disk, [{ s, what }]);
  }
  // libata names the port (`ata3.00:`), not the disk: its lines go with the one SCSI disk failing beside them.
  for (const [port, list] of [...byDisk].filter(([d]) => d.startsWith('ata'))) {
    const near = [...byDisk].filter(([d, l]) => /^sd/.test(d) && l.some((x) => list.some((y) => Math.abs(x.s.ts - y.s.ts) <= EPISODE_GAP_US)));
    if (near.length !== 1) continue;
    near[0]![1].push(...list);
    byDisk.delete(port);
  }
  const out: NewFinding[] = [];
  for (const [disk, list] of byDisk) {
    list.sort((a, b) => a.s.ts - b.s.ts);
    for (const group of clusters(list.map((x) => ({ ...x, ts: x.s.ts })), EPISODE_GAP_US)) {
      const count = (w: string) => group.filter((x) => x.what === w).length;
      const io = count('io');
      const resets = count('reset');
      const fs = count('fs');
      const readOnly = count('readonly') > 0;
      const parts = [io && `${io} I/O error(s)`, resets && `${resets} controller timeout(s)/reset(s)`, fs && `${fs} file-system error(s)`, readOnly && 'a file system remounted read-only or shut down'].filter(Boolean);
      out.push({
        kind: 'device-io-error',
        title: `Disk ${disk === 'unknown' ? '(device not named)' : disk} failing: ${parts.join(', ')}`,
        severity: 'error', from: group[0]!.ts, to: group[group.length - 1]!.ts,
        strength: clamp01(0.5 + Math.min(0.2, group.length / 50) + (readOnly ? 0.2 : 0) + (resets ? 0.1 : 0)),
        facts: { device: disk, ioErrors: io, resets, fsErrors: fs, readOnly, count: group.length },
        evidence: group.slice(0, MAX_EVIDENCE).map((x) => lineEvidence(x.s)),
      });
    }
  }
  return out;
}
