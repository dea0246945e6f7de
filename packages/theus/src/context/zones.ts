/** The zones a path can belong to; each grants processes a different set of capabilities. */
export const ZONES = ['DATA', 'CONST', 'PRIVATE', 'SIGNAL', 'META', 'HEAVY', 'LOG'] as const;

/** One of the zones of SPEC section 1. */
export type Zone = (typeof ZONES)[number];

/**
 * The zone decided by one path segment, or `undefined` when the segment says nothing
 * (so the next segment decides).
 */
export function zoneOfSegment(segment: string): Zone | undefined {
  // Fast exit: every zone marker starts with one of these letters.
  const first = segment.charCodeAt(0);
  if (first !== 99 && first !== 105 && first !== 115 && first !== 109 && first !== 104 && first !== 108 && first !== 97) {
    return undefined;
  }
  if (segment.startsWith('const_')) return 'CONST';
  if (segment.startsWith('internal_')) return 'PRIVATE';
  if (segment.startsWith('sig_') || segment.startsWith('cmd_') || segment === 'signal' || segment === 'cmd') {
    return 'SIGNAL';
  }
  if (segment.startsWith('meta_') || segment === 'meta') return 'META';
  if (segment.startsWith('heavy_') || segment === 'heavy') return 'HEAVY';
  if (segment.startsWith('log_') || segment.startsWith('audit_') || segment === 'log') return 'LOG';
  return undefined;
}

/** The zone of a path: the first segment (left to right) that names a zone decides; else DATA. */
export function zoneOfPath(segments: readonly (string | number)[]): Zone {
  // An index loop: paths are often frozen arrays, which for..of walks through an allocated iterator.
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (typeof segment !== 'string') continue;
    const zone = zoneOfSegment(segment);
    if (zone !== undefined) return zone;
  }
  return 'DATA';
}

/** The zone of a child, given its parent's zone: a non-DATA zone is inherited by the whole subtree. */
export function childZone(parent: Zone, key: string | number): Zone {
  if (parent !== 'DATA' || typeof key !== 'string') return parent;
  return zoneOfSegment(key) ?? 'DATA';
}
