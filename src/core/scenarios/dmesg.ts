// The kernel ring buffer as `dmesg` prints it by default: `[%5ld.%06ld] ` seconds since boot.
// Boot lines (including the RTC line that anchors boot to the wall clock), interface churn from
// pod starts, and (incident) the hung-task report of the shim stuck in umount → sync_filesystem.

import { chunked, type TimedLine } from './chunks';
import type { Plan } from './plan';
import { Rng } from './rng';

const S = 1_000_000;

const BUILDS: Record<string, string> = {
  aws: '#38~20.04.1-Ubuntu SMP Mon Apr 17 20:48:01 UTC 2023',
  generic: '#80-Ubuntu SMP Mon May 15 15:18:26 UTC 2023',
  azure: '#45-Ubuntu SMP Thu May 4 04:28:56 UTC 2023',
  gke: '#1 SMP Sat Jun 3 09:27:23 UTC 2023',
};

function build(kernel: string): string {
  if (kernel.endsWith('-aws')) return BUILDS.aws as string;
  if (kernel.endsWith('-azure')) return BUILDS.azure as string;
  if (kernel.endsWith('+')) return BUILDS.gke as string;
  return BUILDS.generic as string;
}

export function stamp(relUs: number): string {
  const sec = Math.floor(relUs / S);
  const frac = String(relUs - sec * S).padStart(6, '0');
  return `[${String(sec).padStart(5, ' ')}.${frac}] `;
}

interface KLine {
  us: number; // µs since boot
  text: string;
}

function bootLines(plan: Plan, rng: Rng): KLine[] {
  const k = plan.kernel;
  const dev = plan.device;
  const part = dev.startsWith('nvme') ? `${dev}p1` : `${dev}1`;
  const rtcAt = rng.int(560_000, 760_000);
  const rtc = new Date(Math.floor((plan.bootUs + plan.skewUs + rtcAt) / 1000));
  const rtcIso = rtc.toISOString().replace(/\.\d{3}Z$/, '');
  const lines: [number, string][] = [
    [0, `Linux version ${k} (buildd@lcy02-amd64-${rng.int(10, 99)}) (gcc (Ubuntu 9.4.0-1ubuntu1~20.04.1) 9.4.0, GNU ld (GNU Binutils for Ubuntu) 2.34) ${build(k)} (Ubuntu ${k})`],
    [0, `Command line: BOOT_IMAGE=/boot/vmlinuz-${k} root=PARTUUID=${rng.uuid()} ro console=tty1 console=ttyS0 nvme_core.io_timeout=4294967295 panic=-1`],
    [0, 'KERNEL supported cpus:'],
    [0, '  Intel GenuineIntel'],
    [0, '  AMD AuthenticAMD'],
    [0, "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'"],
    [0, "x86/fpu: Supporting XSAVE feature 0x002: 'SSE registers'"],
    [0, "x86/fpu: Supporting XSAVE feature 0x004: 'AVX registers'"],
    [0, 'x86/fpu: Enabled xstate features 0x7, context size is 832 bytes, using \'standard\' format.'],
    [0, 'BIOS-provided physical RAM map:'],
    [0, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable'],
    [0, 'BIOS-e820: [mem 0x0000000000100000-0x00000000bffe9fff] usable'],
    [0, 'NX (Execute Disable) protection: active'],
    [0, 'SMBIOS 2.7 present.'],
    [0, 'Hypervisor detected: KVM'],
    [0, 'kvm-clock: Using msrs 4b564d01 and 4b564d00'],
    [0, 'tsc: Detected 2499.998 MHz processor'],
    [0, `last_pfn = 0x${rng.int(0x400000, 0x2000000).toString(16)} max_arch_pfn = 0x400000000`],
    [0, 'x86/PAT: Configuration [0-7]: WB  WC  UC- UC  WB  WP  UC- WT  '],
    [0, `Memory: ${plan.memKb - rng.int(200000, 400000)}K/${plan.memKb + rng.int(100000, 300000)}K available (16393K kernel code, 4373K rwdata, 10816K rodata, 3040K init, 6116K bss, ${rng.int(300000, 500000)}K reserved, 0K cma-reserved)`],
    [0, `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${plan.cpus}, Nodes=1`],
    [0, 'rcu: Hierarchical RCU implementation.'],
    [0, `rcu: \tRCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=${plan.cpus}.`],
    [0, 'Console: colour dummy device 80x25'],
    [rng.int(1000, 9000), 'clocksource: tsc-early: mask: 0xffffffffffffffff max_cycles: 0x24093623c91, max_idle_ns: 440795291220 ns'],
    [rng.int(20000, 40000), `smp: Brought up 1 node, ${plan.cpus} CPUs`],
    [rng.int(40000, 60000), 'devtmpfs: initialized'],
    [rng.int(90000, 120000), 'PCI: Using configuration type 1 for base access'],
    [rng.int(200000, 260000), 'SCSI subsystem initialized'],
    [rng.int(300000, 380000), 'NetLabel: Initializing'],
    [rng.int(400000, 460000), 'clocksource: Switched to clocksource kvm-clock'],
    [rng.int(480000, 540000), 'NET: Registered PF_INET protocol family'],
    [rtcAt, `rtc_cmos 00:00: setting system clock to ${rtcIso} UTC (${Math.floor(rtc.getTime() / 1000)})`],
    [rng.int(700000, 800000), 'Freeing unused kernel image (initmem) memory: 3040K'],
    [rng.int(900000, 1100000), `${dev.startsWith('nvme') ? 'nvme nvme0: pci function 0000:00:04.0' : `virtio_blk virtio1: [${dev}] ${rng.int(100, 500) * 2097152} 512-byte logical blocks`}`],
    [rng.int(1200000, 1500000), `EXT4-fs (${part}): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.`],
    [rng.int(1600000, 1900000), `systemd[1]: systemd 245.4-4ubuntu3.21 running in system mode. (+PAM +AUDIT +SELINUX +IMA +APPARMOR +SMACK +SYSVINIT +UTMP +LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 default-hierarchy=unified)`],
    [rng.int(2000000, 2200000), `systemd[1]: Set hostname to <${plan.host}>.`],
    [rng.int(2600000, 3200000), `EXT4-fs (${part}): re-mounted. Opts: (null). Quota mode: none.`],
    [rng.int(3500000, 4500000), 'ena 0000:00:05.0 ens5: renamed from eth0'],
    [rng.int(5000000, 6000000), 'bpfilter: Loaded bpfilter_umh pid ' + rng.int(400, 900)],
    [rng.int(6000000, 7000000), 'Started bpfilter'],
    [plan.containerdStartUs - plan.bootUs + rng.int(50000, 300000), 'overlayfs: upper fs does not support RENAME_WHITEOUT.'],
    [plan.kubeletStartUs - plan.bootUs + rng.int(500000, 3000000), 'IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)'],
    [plan.kubeletStartUs - plan.bootUs + rng.int(3000000, 5000000), 'bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.'],
    [plan.kubeletStartUs - plan.bootUs + rng.int(5000000, 6000000), 'Initializing XFRM netlink socket'],
  ];
  let last = 0;
  return lines.map(([us, text]) => {
    last = Math.max(last + rng.int(5, 400), us);
    return { us: last === 0 ? 0 : last, text };
  });
}

function hungTask(plan: Plan, rng: Rng, atRel: number): KLine[] {
  const tid = plan.shim.tid;
  const hex = (n: number): string => n.toString(16).padStart(16, '0');
  const rootfs = 0xc000000000 + rng.int(0x10000, 0x3fffff) * 8;
  const body = [
    `INFO: task containerd-shim:${tid} blocked for more than 120 seconds.`,
    rng.chance(0.5) ? `      Not tainted ${plan.kernel} ${build(plan.kernel).split(' ')[0]}` : `      Tainted: G           OE     ${plan.kernel} ${build(plan.kernel).split(' ')[0]}`,
    '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
    `task:containerd-shim state:D stack:    0 pid:${String(tid).padStart(5)} ppid:     1 flags:0x00004080`,
    'Call Trace:',
    ' __schedule+0x2cd/0x890',
    ' schedule+0x69/0x110',
    ' wb_wait_for_completion+0x56/0x90',
    ' ? wait_woken+0x60/0x60',
    ' sync_inodes_sb+0xd8/0x2b0',
    ' sync_filesystem+0x6c/0xa0',
    ' ovl_sync_fs+0x59/0x90 [overlay]',
    ' sync_filesystem.part.0+0x68/0x80',
    ' generic_shutdown_super+0x22/0x110',
    ' kill_anon_super+0x14/0x30',
    ' deactivate_locked_super+0x36/0xa0',
    ' deactivate_super+0x40/0x50',
    ' cleanup_mnt+0x12d/0x190',
    ' __cleanup_mnt+0x12/0x20',
    ' task_work_run+0x5f/0x90',
    ' exit_to_user_mode_prepare+0x1b0/0x1c0',
    ' syscall_exit_to_user_mode+0x27/0x50',
    ' do_syscall_64+0x69/0xc0',
    ' entry_SYSCALL_64_after_hwframe+0x61/0xcb',
    `RIP: 0033:0x${(0x403000 + rng.int(0, 0xfff)).toString(16)}`,
    `RSP: 002b:${hex(0xc000000000 + rng.int(0x10000, 0x3fffff) * 8)} EFLAGS: 00000216 ORIG_RAX: 00000000000000a6`,
    `RAX: 0000000000000000 RBX: ${hex(0xc000000000 + rng.int(0x1000, 0x3ffff) * 8)} RCX: ${hex(0x403000 + rng.int(0, 0xfff))}`,
    `RDX: 0000000000000000 RSI: 0000000000000000 RDI: ${hex(rootfs)}`,
    `RBP: ${hex(0xc000000000 + rng.int(0x10000, 0x3fffff) * 8)} R08: 0000000000000000 R09: 0000000000000000`,
    `R10: 0000000000000000 R11: 0000000000000216 R12: ${hex(0xc000000000 + rng.int(0x10000, 0x3fffff) * 8)}`,
    `R13: 0000000000000000 R14: ${hex(0xc000000000 + rng.int(0x100, 0x3fff) * 8)} R15: 00007f${rng.hex(10)}`,
  ];
  let t = atRel;
  return body.map((text) => {
    const l = { us: t, text };
    t += rng.int(300, 9000);
    return l;
  });
}

/** `extra`: a variant's kernel lines, µs as written (true + skew). */
export function dmesgChunks(plan: Plan, extra: readonly TimedLine[] = []): () => Generator<string> {
  return function* () {
    const rng = new Rng(plan.seed).fork('dmesg');
    const lines = bootLines(plan, rng);
    for (const pod of plan.pods) {
      if (pod.hostNetwork) continue;
      const rel = pod.sandboxReadyUs - plan.bootUs - rng.int(50_000, 250_000);
      lines.push({ us: rel, text: `IPv6: ADDRCONF(NETDEV_CHANGE): cali${rng.hex(11)}: link becomes ready` });
    }
    if (plan.hungTaskUs !== null) lines.push(...hungTask(plan, rng, plan.hungTaskUs - plan.bootUs));
    for (const l of extra) lines.push({ us: l.us - plan.skewUs - plan.bootUs, text: l.text });
    for (const f of plan.stopFailures) {
      if (f.pod.hostNetwork) continue;
      const rel = (plan.storm?.toUs ?? plan.endUs) - plan.bootUs + rng.int(10_000_000, 60_000_000);
      lines.push({ us: rel, text: `device cali${rng.hex(11)} left promiscuous mode` });
    }
    lines.sort((a, b) => a.us - b.us);
    yield* chunked(lines.map((l) => `${stamp(l.us)}${l.text}\n`));
  };
}
