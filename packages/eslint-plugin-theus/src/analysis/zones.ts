/** The zones of SPEC section 1 that restrict what a process may do (DATA restricts nothing). */
export type Zone = 'CONST' | 'PRIVATE' | 'SIGNAL' | 'META' | 'HEAVY' | 'LOG';

/** The zone one path segment decides, or `undefined` when it says nothing (the next segment decides). */
export function zoneOfSegment(segment: string): Zone | undefined {
  if (segment.startsWith('const_')) return 'CONST';
  if (segment.startsWith('internal_')) return 'PRIVATE';
  if (segment.startsWith('sig_') || segment.startsWith('cmd_') || segment === 'signal' || segment === 'cmd') return 'SIGNAL';
  if (segment.startsWith('meta_') || segment === 'meta') return 'META';
  if (segment.startsWith('heavy_') || segment === 'heavy') return 'HEAVY';
  if (segment.startsWith('log_') || segment.startsWith('audit_') || segment === 'log') return 'LOG';
  return undefined;
}

/** Where a path's zone is decided: the first segment, left to right, that names a zone. */
export interface ZoneAt {
  readonly zone: Zone;
  /** Index of the deciding segment. */
  readonly index: number;
}

/** The zone of a path and the segment that decides it; `undefined` for a DATA path. */
export function zoneOfPath(segments: readonly string[]): ZoneAt | undefined {
  for (let index = 0; index < segments.length; index++) {
    const zone = zoneOfSegment(segments[index] ?? '');
    if (zone !== undefined) return { zone, index };
  }
  return undefined;
}

/** The words a local name may start with to show that it holds a value of the zone (`logEvents`, `sig_fraud`). */
export const ZONE_MARKERS: Readonly<Record<Zone, readonly string[]>> = {
  CONST: ['const'],
  PRIVATE: ['internal'],
  SIGNAL: ['sig', 'cmd', 'signal'],
  META: ['meta'],
  HEAVY: ['heavy'],
  LOG: ['log', 'audit'],
};
