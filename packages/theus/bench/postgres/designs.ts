/**
 * The two commit designs compared for the PostgreSQL store (issue 14): the same tables and the
 * same work in one round trip per group of commits (a plpgsql function), differing only in how
 * concurrent committers are ordered.
 *
 * - `lock`: the head row is locked `FOR UPDATE`; committers queue on it, none is ever aborted.
 * - `serializable`: no lock; every group runs in a `SERIALIZABLE` transaction and is retried when
 *   PostgreSQL aborts it (`40001`), which it must whenever two groups both read and move the head.
 * - `lock-async`: the `lock` design whose group commits without waiting for the disk
 *   (`synchronous_commit = off`, so the head lock is held for no fsync), followed by a durability
 *   barrier: a synchronous commit of the node's own row recording the head it saw, whose flush
 *   covers every commit before it. Groups are acknowledged (and other nodes may apply commits)
 *   only up to a barrier's head; barriers of several nodes share flushes.
 *
 * Each commit of a group carries its start version and its paths; it conflicts with a commit
 * made since its start that wrote an equal, ancestor or descendant path (the engine's rule).
 *
 * @packageDocumentation
 */

/** The designs by name. */
export const DESIGNS = ['lock', 'serializable', 'lock-async'] as const;
/** One design. */
export type Design = (typeof DESIGNS)[number];

/** The bench's schema: dropped and made again before every measurement. */
export const SCHEMA = 'theus_bench_designs';

/** The tables, and the function that appends a group (`FOR UPDATE` only in the `lock` design). */
export function setupSql(design: Design): string {
  const lock = design === 'serializable' ? '' : 'FOR UPDATE';
  return `
DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE;
CREATE SCHEMA ${SCHEMA};
CREATE TABLE ${SCHEMA}.head (id int PRIMARY KEY, version bigint NOT NULL);
INSERT INTO ${SCHEMA}.head VALUES (1, 0);
CREATE TABLE ${SCHEMA}.nodes (id int PRIMARY KEY, durable bigint NOT NULL);
INSERT INTO ${SCHEMA}.nodes SELECT g, 0 FROM generate_series(0, 63) g;
CREATE TABLE ${SCHEMA}.commits (version bigint PRIMARY KEY, process text NOT NULL, patches jsonb NOT NULL, time bigint NOT NULL);
CREATE TABLE ${SCHEMA}.writes (version bigint NOT NULL, path text COLLATE "C" NOT NULL);
CREATE INDEX ON ${SCHEMA}.writes (path, version);
CREATE FUNCTION ${SCHEMA}.append(batch jsonb) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE latest bigint; c jsonb; result bigint[] := '{}'; p text; start bigint; hit boolean;
BEGIN
  SELECT version INTO latest FROM ${SCHEMA}.head WHERE id = 1 ${lock};
  FOR c IN SELECT * FROM jsonb_array_elements(batch) LOOP
    start := (c->>'start')::bigint;
    hit := false;
    IF latest > start THEN
      FOR p IN SELECT jsonb_array_elements_text(c->'paths') LOOP
        -- equal, descendant (p.x...) or ancestor (a prefix of p) paths written since the start
        IF EXISTS (SELECT 1 FROM ${SCHEMA}.writes w WHERE w.version > start
                   AND (w.path = p OR (w.path > p || '.' AND w.path < p || '/') OR starts_with(p, w.path || '.'))) THEN
          hit := true;
          EXIT;
        END IF;
      END LOOP;
    END IF;
    IF hit THEN
      result := result || 0::bigint;
      CONTINUE;
    END IF;
    latest := latest + 1;
    INSERT INTO ${SCHEMA}.commits VALUES (latest, c->>'process', c->'patches', (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
    INSERT INTO ${SCHEMA}.writes SELECT latest, jsonb_array_elements_text(c->'paths');
    result := result || latest;
  END LOOP;
  UPDATE ${SCHEMA}.head SET version = latest WHERE id = 1;
  PERFORM pg_notify('${SCHEMA}', latest::text);
  RETURN result;
END $$;`;
}
