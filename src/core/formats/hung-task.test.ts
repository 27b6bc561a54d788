import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { dmesgFormat } from './dmesg';
import { run } from './dmesg-test-helpers';
import { syslogFormat } from './syslog';
import { pad, pick, rng } from './test-helpers';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TASKS = ['kworker/u8:0', 'containerd-shim', 'jbd2/mmcblk0p2-8', 'dockerd', 'kubelet'];
const CALLS = [['__schedule', 'schedule'], ['schedule', 'io_schedule'], ['io_schedule', '__lock_page'], ['__lock_page', 'write_cache_pages'], ['schedule', 'schedule_timeout'], ['schedule_timeout', 'wait_for_common']];

function hex8(rand: () => number): string {
  return (0x80000000 + Math.floor(rand() * 0x7fffffff)).toString(16);
}

/**
 * A 32-bit ARM (Raspberry Pi and the like) hung-task report: its unwinder prints each frame as
 * `[<pc>] (callee) from [<lr>] (caller+0x…/0x…)`, behind a raw stamp, a syslog `kernel:` prefix
 * with the raw stamp kept, or journald's.
 */
function armReport(seed: number) {
  const rand = rng(seed);
  const form = pick(rand, ['raw', 'syslog', 'journald'] as const);
  const task = pick(rand, TASKS);
  const pid = 2 + Math.floor(rand() * 60000);
  const host = `pi-node-${seed}`;
  const month = Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const clock = `${pad(Math.floor(rand() * 24), 2)}:${pad(Math.floor(rand() * 60), 2)}:${pad(Math.floor(rand() * 60), 2)}`;
  let uptimeUs = Math.floor(rand() * 9e11);
  const prefix = (): string => {
    uptimeUs += 1 + Math.floor(rand() * 20);
    const raw = `[${String(Math.floor(uptimeUs / 1e6)).padStart(5)}.${pad(uptimeUs % 1e6, 6)}] `;
    const date = `${MONTHS[month]} ${pad(day, 2)} ${clock}`;
    if (form === 'raw') return raw;
    return form === 'syslog' ? `${date} ${host} kernel: ${raw}` : `${date} ${host} kernel: `;
  };
  const frames = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => pick(rand, CALLS));
  const lines = [
    `${prefix()}INFO: task ${task}:${pid} blocked for more than ${pick(rand, [120, 122, 241])} seconds.`,
    `${prefix()}      Tainted: G         C      4.14.${Math.floor(rand() * 100)}-v7+ #1090`,
    `${prefix()}"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.`,
    `${prefix()}${task.slice(0, 15).padEnd(15)} D    0 ${String(pid).padStart(5)}      2 0x00000000`,
    ...frames.map(([callee, caller]) => `${prefix()}[<${hex8(rand)}>] (${callee}) from [<${hex8(rand)}>] (${caller}+0x${Math.floor(rand() * 999).toString(16)}/0x${(1000 + Math.floor(rand() * 999)).toString(16)})`),
    `${prefix()}usb 1-1.3: new high-speed USB device number ${seed} using dwc_otg`,
  ];
  return { lines, form, task, pid, stack: frames.map(([callee]) => callee!) };
}

describe('hung-task reports of 32-bit ARM kernels', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const g = armReport(seed);
    it(`seed ${seed} (${g.form}, ${g.task}): the frames stay in the report`, () => {
      for (const format of g.form === 'raw' ? [dmesgFormat] : [dmesgFormat, syslogFormat]) {
        const { parsed, extras } = run(format, g.lines);
        expect(extras.events, format.id).toHaveLength(1);
        const ev = extras.events![0]!;
        expect(ev.fields, format.id).toMatchObject({ task: g.task, pid: g.pid, state: 'D' });
        expect(ev.stack, format.id).toEqual(g.stack);
        expect(ev.lineCount, format.id).toBe(g.lines.length - 1);
        const last = g.lines.length - 1;
        // The dmesg format folds the report into one record; a journal keeps its entries (the event is what counts there).
        if (format !== dmesgFormat) continue;
        parsed.forEach((p, n) => {
          const inside = n > 0 && n < last;
          expect(p.continuation, `line ${n}`).toBe(inside);
          if (inside) expect(p.level, `line ${n}`).toBe(Level.error);
        });
      }
    });
  }
});
