/** Counts work in flight (ingests, re-parses, startup checks) so whenIdle() can wait on facts. */
let busy = 0;

export function trackBusy<T>(work: () => Promise<T>): Promise<T> {
  busy++;
  return work().finally(() => {
    busy--;
  });
}

export function busyCount(): number {
  return busy;
}
