// Kernel: hung-task reports (a task in D state for longer than hung_task_timeout_secs), the
// interesting ones being overlayfs sync during umount: writeback forced by an unmount.

import type { AnalysisInput, Finding } from './types';
import { SEC, clamp01, finish, type NewFinding } from './util';

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
  return finish('kernel', out);
}
