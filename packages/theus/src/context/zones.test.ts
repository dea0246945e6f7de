import { describe, expect, it } from 'vitest';
import { zoneOfPath as publicZoneOfPath } from 'theus';
import { childZone, ZONES, zoneOfPath, zoneOfSegment, type Zone } from './zones.js';

/** Every zone marker of SPEC section 1, as a segment that names the zone. */
const MARKERS: [string, Zone][] = [
  ['const_limits', 'CONST'],
  ['const_', 'CONST'],
  ['internal_secret', 'PRIVATE'],
  ['sig_ready', 'SIGNAL'],
  ['cmd_stop', 'SIGNAL'],
  ['signal', 'SIGNAL'],
  ['cmd', 'SIGNAL'],
  ['meta_info', 'META'],
  ['meta', 'META'],
  ['heavy_frames', 'HEAVY'],
  ['heavy', 'HEAVY'],
  ['log_events', 'LOG'],
  ['audit_trail', 'LOG'],
  ['log', 'LOG'],
];

/** Segments that look close to a marker but name no zone. */
const PLAIN = [
  'domain',
  'global',
  'signals',
  'sig',
  'signal_x',
  'cmds',
  'command',
  'metadata',
  'heavyweight',
  'logs',
  'logger',
  'audit',
  'auditor',
  'internal',
  'constant',
  'const',
  'Const_x',
  'SIG_x',
  'my_sig_x',
  'x_const_y',
  '',
  'accounts',
];

describe('zoneOfSegment', () => {
  it.each(MARKERS)('%s names %s', (segment, zone) => {
    expect(zoneOfSegment(segment)).toBe(zone);
  });

  it.each(PLAIN)('%j names no zone', (segment) => {
    expect(zoneOfSegment(segment)).toBeUndefined();
  });
});

describe('zoneOfPath', () => {
  it('is DATA when no segment names a zone, including the empty path', () => {
    expect(zoneOfPath([])).toBe('DATA');
    expect(zoneOfPath(['domain', 'user', 'name'])).toBe('DATA');
    expect(zoneOfPath(['domain', 'items', 0, 'sig'])).toBe('DATA');
    for (const segment of PLAIN) expect(zoneOfPath(['domain', segment])).toBe('DATA');
  });

  it.each(MARKERS)('a %s segment at any depth puts the path in %s', (segment, zone) => {
    expect(zoneOfPath([segment])).toBe(zone);
    expect(zoneOfPath(['domain', segment])).toBe(zone);
    expect(zoneOfPath(['domain', 'a', 3, segment, 'leaf'])).toBe(zone);
  });

  it('takes the first matching segment, left to right', () => {
    expect(zoneOfPath(['domain', 'const_cfg', 'internal_key'])).toBe('CONST');
    expect(zoneOfPath(['domain', 'internal_cfg', 'const_key'])).toBe('PRIVATE');
    expect(zoneOfPath(['heavy', 'log_x'])).toBe('HEAVY');
    expect(zoneOfPath(['log', 'heavy_x'])).toBe('LOG');
    expect(zoneOfPath(['meta', 'sig_x'])).toBe('META');
    expect(zoneOfPath(['signal', 'meta_x'])).toBe('SIGNAL');
    expect(zoneOfPath(['domain', 'audit_x', 'const_y'])).toBe('LOG');
  });

  it('ignores numeric segments', () => {
    expect(zoneOfPath([0, 'sig_x'])).toBe('SIGNAL');
    expect(zoneOfPath(['domain', 1, 2])).toBe('DATA');
  });

  it('is the same function the package exports', () => {
    expect(publicZoneOfPath(['domain', 'const_x'])).toBe('CONST');
  });
});

describe('childZone', () => {
  it.each(MARKERS)('a DATA parent with child %s gives %s', (key, zone) => {
    expect(childZone('DATA', key)).toBe(zone);
  });

  it('a DATA parent with a plain or numeric child stays DATA', () => {
    for (const key of PLAIN) expect(childZone('DATA', key)).toBe('DATA');
    expect(childZone('DATA', 0)).toBe('DATA');
  });

  it('a non-DATA parent passes its zone to the whole subtree', () => {
    for (const parent of ZONES.filter((z) => z !== 'DATA')) {
      for (const [key] of MARKERS) expect(childZone(parent, key)).toBe(parent);
      expect(childZone(parent, 'plain')).toBe(parent);
      expect(childZone(parent, 7)).toBe(parent);
    }
  });

  it('folding childZone over a path agrees with zoneOfPath', () => {
    const segments = [...MARKERS.map(([s]) => s), ...PLAIN.slice(0, 6), 0];
    for (const a of segments) {
      for (const b of segments) {
        const path = ['domain', a, b];
        const folded = path.reduce<Zone>((zone, key) => childZone(zone, key), 'DATA');
        expect(folded, path.join('.')).toBe(zoneOfPath(path));
      }
    }
  });

  it('lists the seven zones', () => {
    expect([...ZONES].sort()).toEqual(['CONST', 'DATA', 'HEAVY', 'LOG', 'META', 'PRIVATE', 'SIGNAL']);
  });
});
