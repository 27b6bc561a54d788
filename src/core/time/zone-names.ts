// Zone abbreviations as strftime("%Z") and journalctl print them, and glibc's numeric zone names.

/**
 * Common abbreviations with one widely used meaning → minutes east of UTC. Ambiguous ones
 * (CST: China or US Central; IST: India, Ireland or Israel; AST: Atlantic or Arabia) are left
 * out on purpose: such stamps stay wall-clock times placed with the context zone.
 */
const ZONES: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, UT: 0, UCT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120,
  EET: 120, EEST: 180, MSK: 180, SAST: 120, EAT: 180, WAT: 60, PKT: 300, NPT: 345, WIB: 420,
  ICT: 420, WITA: 480, HKT: 480, SGT: 480, AWST: 480, KST: 540, JST: 540, WIT: 540, ACST: 570,
  ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780, HST: -600, AKST: -540, AKDT: -480,
  PST: -480, PDT: -420, MST: -420, MDT: -360, CDT: -300, EST: -300, EDT: -240, NST: -210,
  NDT: -150, BRT: -180, ART: -180,
};

/**
 * Minutes east of UTC of a zone name: a known abbreviation, or glibc's numeric names (`+03`,
 * `-0330`, `+05:30`); NaN when unknown or ambiguous.
 */
export function zoneOffsetOf(name: string): number {
  const known = ZONES[name];
  if (known !== undefined) return known;
  const m = /^([+-])(\d\d)(?::?(\d\d))?$/.exec(name);
  if (!m) return NaN;
  const min = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return min > 14 * 60 ? NaN : (m[1] === '-' ? -min : min);
}
