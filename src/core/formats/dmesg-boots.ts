// `journalctl -o short-monotonic` over several boots (`-- Boot <id> --` between them): every
// boot's uptime starts again near 0, and the bundle places relative stamps with one boot time.
// So the boots are laid end to end on the first anchored boot's clock: a boot starts where the
// one before it last logged (it cannot have booted earlier), or, once one of its lines tells its
// own boot time, at that time. Lines of a later boot never land among an earlier boot's lines.
import { textAt } from '../time/civil';

const BOOT_NOTE = '-- Boot ';

/** `-- Boot <id> --`, journalctl's marker before each boot's first entry. */
export function isBootNote(line: string, i: number, end: number): boolean {
  return textAt(line, i, BOOT_NOTE) && end - i > BOOT_NOTE.length + 3;
}

export class BootFrames {
  /** Boots seen so far (markers after the first line of text, or the start of the file). */
  count = 1;
  /** µs from the reference boot to this boot's start, as far as known. */
  private offsetUs = 0;
  /** The largest uptime seen in this boot. */
  private lastUptimeUs = 0;
  private seenLine = false;
  /** The boot whose clock is the reference (the first to tell its boot time), 0 until one does. */
  private refBoot = 0;
  /** Boot time (µs UTC) of the reference clock (offset 0), NaN until a boot anchor told it. */
  private refBootUs = NaN;
  /** Boots whose start is only bounded below (no line of theirs told their boot time). */
  private unknownStarts = 0;
  private startKnown = true;

  /** A `-- Boot` marker: the next lines belong to a new boot, unless nothing came before it. */
  newBoot(): void {
    if (!this.seenLine) return;
    if (!this.startKnown) this.unknownStarts++;
    this.offsetUs += this.lastUptimeUs;
    this.lastUptimeUs = 0;
    this.count++;
    this.startKnown = false;
  }

  /** An uptime stamp of the current boot, on the reference clock. */
  frame(uptimeUs: number): number {
    this.seenLine = true;
    if (uptimeUs > this.lastUptimeUs) this.lastUptimeUs = uptimeUs;
    return this.offsetUs + uptimeUs;
  }

  /**
   * A line says the current boot started at `bootUs` (UTC). Returns the reference boot time it
   * implies, an anchor for the bundle, when this boot is the reference one; null for a later boot,
   * which instead moves onto its own time from here on (only forward, so its lines already placed
   * stay before the rest of it).
   */
  anchor(bootUs: number): number | null {
    if (this.refBoot === 0) {
      this.refBoot = this.count;
      this.refBootUs = bootUs - this.offsetUs;
    }
    this.startKnown = true;
    if (this.count === this.refBoot) return bootUs - this.offsetUs;
    this.offsetUs = Math.max(this.offsetUs, bootUs - this.refBootUs);
    return null;
  }

  /** What the user should know, once the file is read. */
  note(): string | null {
    if (this.count < 2) return null;
    const unknown = this.unknownStarts + (this.startKnown ? 0 : 1);
    const base = `${this.count} boots in one short-monotonic export, laid end to end on one clock`;
    if (unknown === 0) return `${base}: each boot placed at the boot time its own lines tell`;
    return `${base}: ${unknown} boot(s) with no line telling their boot time are placed right after the boot before them (too early by the downtime); export with journalctl -o short-iso-precise for exact times`;
  }
}
