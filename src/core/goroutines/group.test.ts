import { describe, expect, it } from 'vitest';
import { compareGroups, filterGroups, groupGoroutines, isStdlib, stateCounts, stateRank } from './group';
import { goroutine, incidentDump } from './test-helpers';

describe('isStdlib', () => {
  it('tells Go library packages from modules and main', () => {
    for (const fn of ['sync.(*Mutex).lockSlow', 'net/http.(*conn).serve', 'internal/poll.(*FD).Read', 'runtime.gopark', 'syscall.Fsync']) expect(isStdlib(fn), fn).toBe(true);
    for (const fn of ['github.com/containerd/containerd/metadata.(*DB).Update', 'go.etcd.io/bbolt.(*DB).beginRWTx', 'golang.org/x/sys/unix.Unmount', 'main.main', 'k8s.io/klog/v2.(*loggingT).flushDaemon']) expect(isStdlib(fn), fn).toBe(false);
  });
});

describe('stateRank', () => {
  it('puts lock waits before channel and IO waits before running', () => {
    expect(stateRank('semacquire')).toBe(0);
    expect(stateRank('sync.Mutex.Lock')).toBe(0);
    expect(stateRank('sync.RWMutex.RLock')).toBe(0);
    for (const s of ['chan receive', 'chan send', 'select', 'IO wait', 'syscall']) expect(stateRank(s), s).toBe(1);
    for (const s of ['running', 'runnable']) expect(stateRank(s), s).toBe(2);
  });
});

describe('groupGoroutines on hand-made stacks', () => {
  const app = ['example.com/app.(*Server).handle'];
  const lock = ['sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'example.com/app.(*Store).Get'];
  const gs = [
    goroutine(1, 'running', 0, app),
    goroutine(2, 'semacquire', 0, lock),
    goroutine(3, 'semacquire', 0, lock),
    goroutine(4, 'IO wait', 40, ['internal/poll.runtime_pollWait', 'net/http.(*conn).serve']),
    goroutine(5, 'select', 3, ['example.com/app.loop']),
    goroutine(6, 'semacquire', 7, lock),
  ];
  const groups = groupGoroutines(gs);

  it('buckets identical stacks with count, states and wait range', () => {
    expect(groups).toHaveLength(4);
    const locked = groups.find((g) => g.goroutines.some((x) => x.id === 2))!;
    expect(locked.goroutines.map((g) => g.id)).toEqual([6, 2, 3]);
    expect([locked.waitMin, locked.waitMax]).toEqual([0, 7]);
    expect(locked.states).toEqual(['semacquire']);
    expect(locked.topFunction).toBe('example.com/app.(*Store).Get');
  });

  it('sorts by wait, then blocked state, with stdlib-only stacks last', () => {
    expect(groups.map((g) => g.goroutines[0]!.id)).toEqual([6, 5, 1, 4]);
    expect(groups[3]!.stdlibOnly).toBe(true);
    // Same wait: the lock wait comes before the running goroutine.
    const a = groupGoroutines([goroutine(1, 'running', 0, app), goroutine(2, 'semacquire', 0, lock)]);
    expect(a.map((g) => g.states[0])).toEqual(['semacquire', 'running']);
    for (let i = 1; i < groups.length; i++) expect(compareGroups(groups[i - 1]!, groups[i]!)).toBeLessThan(0);
  });

  it('filters by state, minimum wait and function text, regrouping what is left', () => {
    expect(filterGroups(groups, { states: ['semacquire'], minWait: 0, text: '' }).flatMap((g) => g.goroutines.map((x) => x.id)).sort()).toEqual([2, 3, 6]);
    const waited = filterGroups(groups, { states: [], minWait: 5, text: '' });
    // The 40-minute IO wait is stdlib-only: it trails the 7-minute lock wait.
    expect(waited.map((g) => g.goroutines.map((x) => x.id))).toEqual([[6], [4]]);
    const lockGroup = waited.find((g) => g.goroutines[0]!.id === 6)!;
    expect([lockGroup.waitMin, lockGroup.waitMax]).toEqual([7, 7]);
    expect(filterGroups(groups, { states: [], minWait: 0, text: 'NET/HTTP' }).map((g) => g.goroutines[0]!.id)).toEqual([4]);
  });

  it('counts states for the state filter', () => {
    expect(stateCounts(gs)[0]).toEqual({ state: 'semacquire', count: 3 });
  });
});

describe('groupGoroutines on generated incident dumps', () => {
  for (const seed of [3, 17, 4242]) {
    const { goroutines, truth } = incidentDump(seed);
    const groups = groupGoroutines(goroutines);

    it(`seed ${seed}: fewer groups than goroutines, nothing lost, one stack per group`, () => {
      expect(goroutines.length).toBeGreaterThan(100);
      expect(groups.length).toBeLessThan(goroutines.length);
      expect(groups.reduce((n, g) => n + g.goroutines.length, 0)).toBe(goroutines.length);
      for (const g of groups) for (const x of g.goroutines) expect(x.stackKey).toBe(g.key);
      expect(groups.some((g) => g.goroutines.length > 1)).toBe(true);
    });

    it(`seed ${seed}: the longest wait leads and stdlib-only stacks trail`, () => {
      const maxWait = Math.max(...goroutines.map((g) => g.waitMinutes));
      const firstStdlib = groups.findIndex((g) => g.stdlibOnly);
      const appGroups = firstStdlib < 0 ? groups : groups.slice(0, firstStdlib);
      expect(appGroups[0]!.waitMax).toBe(Math.max(...appGroups.map((g) => g.waitMax)));
      if (firstStdlib >= 0) expect(groups.slice(firstStdlib).every((g) => g.stdlibOnly)).toBe(true);
      expect(maxWait).toBeGreaterThan(0);
    });

    it(`seed ${seed}: the bbolt holder and the lock waiter come before idle stacks`, () => {
      const at = (id: number) => groups.findIndex((g) => g.goroutines.some((x) => x.id === id));
      const holder = at(truth.lockHolderGoroutine!);
      const waiter = at(truth.lockWaiterGoroutine!);
      expect(holder).toBeGreaterThanOrEqual(0);
      expect(groups[holder]!.states).toContain('syscall');
      const firstRunning = groups.findIndex((g) => stateRank(g.states[0]!) === 2 && g.waitMax === 0);
      if (firstRunning >= 0) expect(waiter).toBeLessThan(firstRunning);
      const bbolt = filterGroups(groups, { states: [], minWait: 0, text: 'go.etcd.io/bbolt' }).flatMap((g) => g.goroutines.map((x) => x.id));
      for (const id of [truth.lockHolderGoroutine!, truth.lockWaiterGoroutine!, ...truth.bboltWaiterGoroutines]) expect(bbolt).toContain(id);
    });
  }
});
