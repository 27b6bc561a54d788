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

  it('an umount in the stack (3.10, -T stamps) is flagged', async () => {
    const input = await inputOf({ 'dmesg.log': fixture('dmesg/hung-3.10-ctime.log') });
    const found = detectKernel(input);
    expect(found.map((f) => [f.facts.task, f.facts.overlaySync, f.facts.umount])).toEqual([['docker', true, true]]);
  });
});
