// The producer's record inside a transport's message (a journal entry's MESSAGE, a line after a
// short-monotonic stamp): its own severity is more precise than the transport's (stdout is all
// "info" to journald), and logrus and klog JSON records carry an absolute stamp besides.
import { newContainerdRecord, readContainerdRecord } from './containerd-line';
import { newKlogHeader, newKlogJson, readKlogHeader, readKlogJson } from './klog-line';
import type { YearTracker } from '../time/civil';
import type { ParsedLine } from './types';

export class ProducerLevel {
  private readonly klog = newKlogHeader();
  private readonly klogJson = newKlogJson();
  private readonly logrus = newContainerdRecord();
  /** The absolute stamp of the record last read (µs UTC), NaN when it carried none. */
  utcUs = NaN;
  /** A klog record's wall clock read as if UTC (in `years`' year); NaN for other records or without `years`. */
  wallUs = NaN;

  /** Reads a klog, klog JSON or logrus record at i: sets `out.level` (and a shim's origin); false when none. */
  read(text: string, i: number, end: number, out: ParsedLine, years: YearTracker | null = null): boolean {
    this.utcUs = NaN;
    this.wallUs = NaN;
    if (readKlogHeader(text, i, end, years, this.klog)) {
      out.level = this.klog.level;
      this.wallUs = this.klog.wallUs;
      return true;
    }
    if (readKlogJson(text, i, end, this.klogJson)) {
      // kubelet with --logging-format=json: an ErrorS record still reaches journald as "6".
      out.level = this.klogJson.level;
      this.utcUs = this.klogJson.utcUs;
      return true;
    }
    if (readContainerdRecord(text, i, end, this.logrus)) {
      out.level = this.logrus.level;
      if (this.logrus.shim) out.origin = 'shim';
      this.utcUs = this.logrus.utcUs;
      return true;
    }
    return false;
  }
}
