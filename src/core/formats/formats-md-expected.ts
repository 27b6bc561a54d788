// What each ```text example of FORMATS.md must parse to: shared by the unit test
// (formats-md.test.ts) and the end-to-end test that drops the examples into the page.

export interface Expect {
  /** The format detection must pick (one of them when the example is ambiguous by nature). */
  format: string | string[];
  /** Records of the example that carry their own time (the rest: why not). */
  timed: number;
  why?: string;
  /** File name the example is tested under (some formats take hints from it); `example.log` otherwise. */
  path?: string;
}

export const EXPECTED: Record<string, Expect> = {
  // §0 layering
  'messages-2024-05-08-1715162101.gz:2724:2': { format: 'containerd', timed: 1 },
  '2023-10-25T10:57:16.6624587Z     default': { format: 'containerd', timed: 1 },
  // §1.1 journalctl short
  'Jan 12 15:35:44 k8s-worker-44 kubelet[11': { format: 'klog', timed: 1 },
  'Mar 31 07:55:31.545065 localhost kernel:': {
    format: ['syslog', 'dmesg'], timed: 1,
    why: 'one journald kernel line: a one-unit journal (syslog) unless the file is named as a kernel log (dmesg)',
  },
  '8月 20 04:32:10 ctrlplane-a56 containerd[': { format: 'containerd', timed: 1 },
  'mai 27 15:25:45 k8s-worker82 containerd[': { format: 'containerd', timed: 1, why: 'one entry hard-wrapped onto 3 lines: 2 continuations' },
  '-- Logs begin at Tue 2022-09-06 18:34:56': { format: 'klog', timed: 1, why: 'the `-- Logs begin … --` header is a note, not a record' },
  // §1.3 syslog files
  'messages-2024-05-08-1715162101.gz:2725:2': { format: 'containerd', timed: 1 },
  'Jun 19 21:51:02 containerd[83660]: time=': { format: 'containerd', timed: 1 },
  'kubelet_init[1469]: I0417 23:18:06.35069': { format: 'klog', timed: 1 },
  // §1.4 journalctl -o json (three examples share their first 40 characters)
  '{ "__CURSOR" : "s=0cac7e4ff6a72faf4639ed': { format: 'journal-json', timed: 1 },
  // §2 klog
  'Sep 11 13:47:03 5k8s-vt12-worker680s kub': { format: 'klog', timed: 1, why: 'cut by the pager (`>`): still a timed record' },
  'Mar 01 16:06:35 ip-192-0-2-82 kubelet[78': { format: 'klog', timed: 1 },
  'Oct 08 12:26:36 ip-203-0-113-102.ap-sout': { format: 'klog', timed: 1 },
  '198.51.100.10: {"ts":1755463071919.7622,': { format: 'klog-json', timed: 1 },
  // §3 containerd
  'Jun 09 02:21:21 k8s-cp-473 containerd[21': { format: 'containerd', timed: 1 },
  'INFO[2024-07-28T02:23:29.890473249+08:00': { format: 'containerd', timed: 1 },
  'containerd[9897]: {"error":"failed to st': {
    format: ['containerd', 'syslog'], timed: 0,
    why: 'fragment: a logrus JSON record split across two lines and cut before its `time` key (keys are sorted); '
      + 'a dateless `containerd[pid]:` line with no producer record reads as a one-unit journal as well',
  },
  'Feb 13 22:39:51 VM-6-79-centos container': { format: 'containerd', timed: 1 },
  // §4 goroutine dumps
  '=== BEGIN goroutine stack dump ===': { format: 'goroutines', timed: 0, why: 'a raw dump: no stamp anywhere (2 goroutine records)' },
  'goroutine 2401609 [select]:': { format: 'goroutines', timed: 0, why: 'a raw dump: no stamp anywhere' },
  'goroutine 3519 [semacquire]:': { format: 'goroutines', timed: 0, why: 'a raw dump cut mid-goroutine: no stamp anywhere' },
  'Jul 26 06:36:31 dockerd[2199]: time="201': { format: 'containerd', timed: 1, why: 'an escaped dump inside one logfmt line, cut off' },
  'time="2017-12-08T02:19:25Z" level=info m': { format: 'goroutines', timed: 2, why: 'the BEGIN line is stamped; the goroutine header takes its capture time' },
  // §5 dmesg
  '[Sun Jul 12 00:22:31 2020] scsi 7:0:0:0:': { format: 'dmesg', timed: 1 },
  '[ 8235.831133] INFO: task containerd-shi': { format: 'dmesg', timed: 1, why: 'one hung-task report: the other 4 lines continue it' },
  '[ 8236.137921]  ovl_sync_fs+0x59/0x90 [o': { format: 'dmesg', timed: 7, why: 'fragment: frames of a call trace without its report head; each is stamped' },
  // §6 PSI
  '$ cat /proc/pressure/cpu': { format: 'psi', timed: 3, why: 'the two `$ cat` prompt lines have no time; samples are placed by index' },
  // §7 iostat
  'Linux 1.2.3-TEST (node-e41) \t06/19/20 \t_': { format: 'iostat', timed: 4, why: 'the banner (a date, no time of day) and 2 blank lines are untimed' },
  '06/29/20 07:52:20': { format: 'iostat', timed: 3 },
  'Device            r/s     w/s     rkB/s ': { format: 'iostat', timed: 3, why: 'fragment: a device block without the report around it, placed by index' },
  'Device            r/s     rkB/s   rrqm/s': { format: 'iostat', timed: 2, why: 'fragment: a device block without the report around it, placed by index' },
  'avg-cpu:  %user   %nice %system %iowait ': { format: 'iostat', timed: 4, why: 'the blank line between the blocks is untimed' },
  // §8 vmstat
  'procs -----------memory---------- ---swa': { format: 'vmstat', timed: 2, why: 'the two header lines continue' },
  '--procs-- -----------------------memory-': { format: 'vmstat', timed: 1, why: 'the two header lines continue' },
};
