import { describe, expect, it } from 'vitest';
import { detectKernel } from './kernel';
import { fixture, inputOf } from './test-helpers';

describe('kernel detector', () => {
  it('hung task in overlayfs sync (5.10 raw dmesg): placed by the boot anchor, ending at the report', async () => {
    const input = await inputOf({ 'dmesg.log': fixture('dmesg/hung-5.10-raw.log') });
    const [f, ...rest] = detectKernel(input);
    expect(rest).toEqual([]);
    expect(f!.facts).toMatchObject({ task: 'containerd-shim', pid: 42379, blockedSeconds: 120, overlaySync: true });
    expect(f!.to - f!.from).toBe(120e6);
    // rtc_cmos: 2024-05-07T08:02:11Z at 0.633021 s of uptime; the report at 8235.831133 s.
    // (the RTC has whole seconds: the parser may place boot anywhere inside that second)
    expect(Math.abs(f!.to / 1e6 - (1715068931 - 0.633021 + 8235.831133))).toBeLessThan(1);
  });

  it('a failing disk: one finding per disk and episode, whatever part of it each line names, and none for healthy storage lines', async () => {
    const at = (s: number) => `Jan 15 02:${String(10 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} node-3 kernel:`;
    const disks = [
      { disk: 'nvme1n1', lines: ['nvme nvme1: I/O 412 QID 3 timeout, reset controller', 'blk_update_request: I/O error, dev nvme1n1, sector 81920 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0',
        'Buffer I/O error on dev nvme1n1p1, logical block 10240, lost async page write', 'EXT4-fs error (device nvme1n1p1): ext4_journal_check_start:61: Detected aborted journal', 'EXT4-fs (nvme1n1p1): Remounting filesystem read-only'],
        want: { ioErrors: 1, resets: 1, fsErrors: 2, readOnly: true } },
      { disk: 'sdb', lines: ['ata3.00: exception Emask 0x0 SAct 0x1 SErr 0x0 action 0x0', 'sd 2:0:0:0: [sdb] tag#7 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_SENSE', 'sd 2:0:0:0: [sdb] tag#7 Sense Key : Medium Error [current]',
        'print_req_error: I/O error, dev sdb, sector 2048'], want: { ioErrors: 3, resets: 1, readOnly: false } },
      { disk: 'dm-3', lines: ['XFS (dm-3): metadata I/O error in "xfs_buf_iodone_callback_error" at daddr 0x1 len 1 error 5', 'XFS (dm-3): Log I/O Error Detected. Shutting down filesystem'], want: { fsErrors: 1, readOnly: true } },
    ];
    const healthy = ['nvme nvme0: 2/0/0 default/read/poll queues', 'EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode', 'io scheduler mq-deadline registered', 'XFS (dm-4): Ending clean mount',
      // A VM's absent floppy and snap loop devices: I/O errors on every healthy boot.
      'blk_update_request: I/O error, dev fd0, sector 0', 'Buffer I/O error on dev fd0, logical block 0, async page read', 'print_req_error: I/O error, dev loop3, sector 0', 'blk_update_request: I/O error, dev sr0, sector 0 op 0x0:(READ)'];
    const lines = [...healthy.map((l, i) => `${at(i)} ${l}`)];
    disks.forEach((d, k) => d.lines.forEach((l, i) => lines.push(`${at(100 + k * 700 + i)} ${l}`)));
    const found = detectKernel(await inputOf({ 'journal-k.txt': `${lines.join('\n')}\n` })).filter((f) => f.kind === 'device-io-error');
    expect(found.map((f) => f.facts.device)).toEqual(disks.map((d) => d.disk));
    for (const [i, d] of disks.entries()) expect(found[i]!.facts, d.disk).toMatchObject({ ...d.want, count: d.lines.length });
  });

  it('an umount in the stack (3.10, -T stamps) is flagged', async () => {
    const input = await inputOf({ 'dmesg.log': fixture('dmesg/hung-3.10-ctime.log') });
    const found = detectKernel(input);
    expect(found.map((f) => [f.facts.task, f.facts.overlaySync, f.facts.umount])).toEqual([['docker', true, true]]);
  });
});
