import type { Pattern } from '../pattern';

/**
 * Timeouts on the exit and stop path (containerd's TaskExit handling, kubelet's stop/kill, removal).
 * A probe's ExecSync timing out is the probed process being slow, not a Delete stuck in umount.
 */
const EXIT_PATH_CALLS = ['TaskExit', 'StopContainer', 'KillContainer', 'RemoveContainer', 'StopPodSandbox', 'RemovePodSandbox'];

/** One shim stuck in an overlay umount (writeback of a container's dirty pages), without an image-pull storm. */
export const shimUmountHung: Pattern = {
  id: 'shim-umount-hung',
  title: 'Shim stuck in overlay umount → task Delete and TaskExit handling time out',
  description:
    'When a container exits, its shim unmounts the container\'s overlay rootfs. Unmounting an overlay syncs the filesystem, so a container that left many dirty pages (or a slow disk) keeps the shim in the umount syscall for minutes; the kernel reports the task as hung, containerd\'s Delete over ttrpc waits, and TaskExit handling / StopContainer time out. No image-pull storm is behind it.',
  steps: [
    { id: 'exit-errors', role: 'symptom', title: 'TaskExit handling / stop times out', explanation: '{total} runtime timeout(s): the exited container could not be deleted in time.', query: { detector: 'runtime', kinds: ['taskexit-failed', 'cri-deadline'], where: [{ fact: 'call', op: 'in', value: EXIT_PATH_CALLS }] }, required: true, weight: 2.5, missingHint: 'no TaskExit / deadline errors: add the containerd journal (journalctl -u containerd) and the kubelet journal' },
    { id: 'delete-wait', role: 'blocked-call', title: 'containerd waits for the shim\'s Delete', explanation: 'The CRI exit handler waits in ttrpc dispatch for Delete ({minutes} min).', query: { detector: 'goroutines', kind: 'ttrpc-delete-wait' }, required: false, weight: 1.5, missingHint: 'no containerd goroutine dump: send SIGUSR1 to containerd and add /tmp/containerd.<pid>.stacks.log' },
    { id: 'shim-umount', role: 'resource', title: 'The shim is in the umount syscall', explanation: 'containerd-shim waits in unix.Unmount ← mount.UnmountAll for {minutes} min.', query: { detector: 'goroutines', kind: 'shim-unmount' }, required: true, weight: 2.5, missingHint: 'no shim goroutine dump: send SIGUSR1 to the stuck containerd-shim-runc-v2 and add its dump' },
    { id: 'hung-umount', role: 'resource', title: 'Kernel reports the task hung in overlay sync', explanation: 'Hung task {task}, blocked > {blockedSeconds} s in ovl_sync_fs / sync_filesystem.', query: { detector: 'kernel', kind: 'hung-task', where: [{ fact: 'overlaySync', op: 'eq', value: true }] }, required: false, weight: 2, missingHint: 'no hung-task report: add the kernel log (dmesg -T or journalctl -k)' },
    { id: 'writeback', role: 'root-cause', title: 'Writeback load on the disk', explanation: 'IO pressure while the umount syncs ({kinds}; up to {peakRatio}× the threshold).', query: { detector: 'io-pressure', kind: 'io-window' }, required: false, weight: 1, missingHint: 'no IO samples: add /proc/pressure/io, iostat -x -t or vmstat -t output' },
  ],
  links: [
    { from: 'delete-wait', to: 'exit-errors', relation: 'overlaps', seconds: 60 },
    { from: 'shim-umount', to: 'delete-wait', relation: 'overlaps', seconds: 30 },
    { from: 'shim-umount', to: 'exit-errors', relation: 'overlaps', seconds: 60 },
    { from: 'hung-umount', to: 'shim-umount', relation: 'overlaps', seconds: 60 },
    { from: 'writeback', to: 'shim-umount', relation: 'overlaps', seconds: 60 },
  ],
  absent: [
    { id: 'device-failing', title: 'The disk reports I/O errors (a failing device, not load)', query: { detector: 'kernel', kind: 'device-io-error' }, penalty: 0.5 },
    { id: 'pull-storm', title: 'an image-pull storm (≥ 5 concurrent pulls) at the same time (the IO storm pattern explains more)', query: { detector: 'image-pulls', kind: 'pull-storm', where: [{ fact: 'maxConcurrent', op: 'gte', value: 5 }] }, penalty: 0.6, marginSeconds: 300 },
    { id: 'bbolt-holder', title: 'the bbolt lock held in fsync (the IO storm pattern explains more)', query: { detector: 'goroutines', kind: 'bbolt-fsync-holder' }, penalty: 0.4 },
  ],
  remedy: {
    text:
      'Find what dirtied the overlay: a container writing heavily into its writable layer (logs, caches, temp files) leaves pages the umount must flush. Move such writes to an emptyDir or a volume, so the overlay upper directory stays small. Mounting overlay snapshots with `volatile` (containerd PR #8676, Linux ≥ 5.10) makes umount skip the sync. Lower the dirty-page limits so writeback starts earlier and less is pending at umount (`vm.dirty_background_bytes`, `vm.dirty_bytes`). `kernel.hung_task_timeout_secs` only changes when the kernel reports it, not the stall.',
    snippets: [
      { title: 'containerd config.toml (version 2): volatile overlay mounts', language: 'toml', code: '[plugins."io.containerd.snapshotter.v1.overlayfs"]\n  mount_options = ["volatile"]' },
      { title: 'sysctl: start writeback earlier', language: 'ini', code: '# /etc/sysctl.d/60-writeback.conf\nvm.dirty_background_bytes = 67108864\nvm.dirty_bytes = 268435456' },
      { title: 'Who is stuck in D state, and where', language: 'sh', code: 'ps -eo pid,stat,wchan:32,comm | awk \'$2 ~ /D/\'\ncat /proc/<shim-pid>/task/*/stack' },
    ],
    references: [
      'https://docs.kernel.org/filesystems/overlayfs.html#volatile-mount',
      'https://github.com/containerd/containerd/pull/8676',
      'https://docs.kernel.org/admin-guide/sysctl/vm.html',
      'https://github.com/containerd/containerd/issues/2886',
    ],
  },
};
