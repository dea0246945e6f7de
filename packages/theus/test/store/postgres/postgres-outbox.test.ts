/**
 * The shared outbox ledger: a message is claimed by one node at a time, for a lease; delivered
 * messages are forgotten, failed ones recorded (dead letters shared by every node) and revived.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxLedger } from '../../../src/store/store.js';
import { NEEDS_PG, pgAvailable, sql } from './pg-test-db.js';
import { pgFixture, write, type TestStore } from './pg-units.js';

const available = await pgAvailable();
const fixture = pgFixture();

const SEED = { domain: { a: 1 } };

/** Two nodes on a store holding `count` messages (`v1.0`, `v1.1`, ...: one commit). */
async function nodesWithMessages(count: number, outboxLeaseMs?: number): Promise<[OutboxLedger, OutboxLedger, TestStore]> {
  const options = outboxLeaseMs === undefined ? {} : { outboxLeaseMs };
  const a = fixture.store(options);
  const b = fixture.store(options);
  await a.shared.open(SEED);
  await b.shared.open(SEED);
  const topics = Array.from({ length: count }, (_, i) => ({ topic: 't', payload: { i } }));
  await a.shared.commit([write(['domain', 'a'], 2, 0, { topics })], 0);
  return [a.store.outbox, b.store.outbox, a];
}

const row = async (id: string): Promise<Record<string, unknown> | undefined> =>
  (await sql(`SELECT * FROM "${fixture.schema}".outbox WHERE id = $1`, [id]))[0];

describe.skipIf(!available)(`postgresStore: the outbox ${available ? '' : NEEDS_PG}`.trim(), () => {
  it('lets one node at a time claim a message; the holder may claim it again', async () => {
    const [a, b] = await nodesWithMessages(1);
    expect(await a.claim!('v1.0')).toBe(true);
    expect(await b.claim!('v1.0')).toBe(false);
    expect(await a.claim!('v1.0')).toBe(true);
    expect(await a.claim!('v9.9')).toBe(false);
  });

  it('never gives one message to two nodes claiming it at once', async () => {
    const [a, b] = await nodesWithMessages(30);
    const ids = Array.from({ length: 30 }, (_, i) => `v1.${i}`);
    const claims = await Promise.all(ids.flatMap((id) => [a.claim!(id), b.claim!(id)]));
    for (let i = 0; i < ids.length; i++) expect([claims[2 * i], claims[2 * i + 1]].filter(Boolean)).toHaveLength(1);
  });

  it('lets another node claim a message once the lease expired', async () => {
    const [a, b] = await nodesWithMessages(1, 150);
    expect(await a.claim!('v1.0')).toBe(true);
    expect(await b.claim!('v1.0')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await b.claim!('v1.0')).toBe(true);
    expect(await a.claim!('v1.0')).toBe(false);
  });

  it('forgets a delivered message', async () => {
    const [a, b] = await nodesWithMessages(2);
    expect(await a.claim!('v1.0')).toBe(true);
    await a.delivered('v1.0');
    expect(await row('v1.0')).toBeUndefined();
    expect(await b.claim!('v1.0')).toBe(false);
    const c = fixture.store();
    await c.shared.open(SEED);
    expect(c.store.outbox.undelivered().map((entry) => entry.id)).toEqual(['v1.1']);
  });

  it('records a failed attempt and releases the claim; another node does not overwrite the holder', async () => {
    const [a, b] = await nodesWithMessages(1);
    expect(await a.claim!('v1.0')).toBe(true);
    await b.failed('v1.0', { attempts: 5, error: 'not mine', dead: false, nextAttemptAt: 1 });
    expect(await row('v1.0')).toMatchObject({ attempts: 0, claimed_by: expect.any(String) });
    await a.failed('v1.0', { attempts: 1, error: 'handler threw\0!', dead: false, nextAttemptAt: 1234 });
    expect(await row('v1.0')).toMatchObject({
      attempts: 1,
      status: 'pending',
      last_error: 'handler threw\uFFFD!',
      next_attempt_at: '1234',
      claimed_by: null,
      lease_until: null,
    });
    expect(await b.claim!('v1.0')).toBe(true);
  });

  it('keeps dead letters for every node, and revives them', async () => {
    const [a, b] = await nodesWithMessages(2);
    expect(await a.claim!('v1.1')).toBe(true);
    await a.failed('v1.1', { attempts: 3, error: 'gave up', dead: true, nextAttemptAt: 999 });
    expect(await b.claim!('v1.1')).toBe(false);
    const c = fixture.store();
    await c.shared.open(SEED);
    expect(c.store.outbox.undelivered()).toEqual([
      expect.objectContaining({ id: 'v1.0', status: 'pending', attempts: 0 }),
      expect.objectContaining({ id: 'v1.1', status: 'dead', attempts: 3, lastError: 'gave up', nextAttemptAt: 0, payload: { i: 1 } }),
    ]);
    expect(await b.revive('v1.0')).toBe(false);
    expect(await b.revive('v1.1')).toBe(true);
    expect(await a.revive('v1.1')).toBe(false);
    expect(await b.revive('v7.0')).toBe(false);
    expect(await row('v1.1')).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: '0' });
    expect(await a.claim!('v1.1')).toBe(true);
  });
});
