/**
 * The plpgsql function that commits a group of units in one round trip and one transaction:
 * `<schema>.commit_group(batch jsonb, known bigint) RETURNS jsonb` (the "lock" design of
 * `docs/design/postgres-store.md`).
 *
 * 1. Locks the head row `FOR UPDATE`: groups of all nodes queue there, none is aborted. The head
 *    at that moment is `locked_head`; everything the checks read is as of it.
 * 2. Checks the units in order, each against the commits after its `seen` version (all of them
 *    at most `locked_head`: units of this group never count against each other), until one
 *    conflicts. With the `paths` table (per path key: `at`, the newest version that wrote exactly
 *    it, and `below`, the newest that wrote it or a path below it), a check costs a few index
 *    lookups per path, whatever the length of the log:
 *    - `strict`: any commit after `seen` conflicts;
 *    - a touched path `t` conflicts when `below(t) > seen` (a write at `t` or under it) or
 *      `at(a) > seen` for a strict ancestor `a` (a write above it);
 *    - a presence path `p` conflicts when `at(a) > seen` for `p` or an ancestor `a` of it.
 * 3. Appends the units before the first conflicting one with versions `locked_head + 1`, ...:
 *    their commit rows, their outbox rows (ids `v<version>.<index>`), and in `paths` the keys they
 *    wrote (`at` and `below`) and the ancestors of those (`below`).
 * 4. Moves the head and `NOTIFY`s the schema's channel with it (delivered when this commits).
 * 5. Returns `{ first, accepted, refused, remote }`: the first assigned version, how many units
 *    were appended, the conflict (`{ unit, kind: 'strict' | 'touched' | 'presence', entry }`:
 *    which unit and which of its check entries, or null) and the commits in
 *    `(known, locked_head]` as `[version, process, args, patches, time]` arrays.
 *
 * Runs that kept losing (`vipAfter` times) queue for the turn in `turns` (first come, first
 * served; each entry a lease on the database's clock, void as soon as the server process of its
 * node's listening connection is gone: a killed node holds no turn). While the first one holds it, a group that
 * does not carry its token gets nothing appended, no conflict and `waiting: true` (with the
 * commits it lacks): the node sends it again shortly, so the starving run commits first.
 * Accepting a commit that carries a token ends that run's turn.
 *
 * A node more than `REMOTE_LIMIT` commits behind (`locked_head - known`) gets nothing appended,
 * no conflict, and the first `REMOTE_LIMIT` of the commits it lacks: it applies them, checks its
 * group against them and sends it again, so no answer grows with how far behind a node fell.
 *
 * A unit of `batch` (built by `encodeGroup`, all values JSON text already) is `{ process, args,
 * patches, signals, time, outbox: [[topic, payload]], seen, strict, touched: [[key,
 * [strict ancestor keys]]], presence: [[ancestor-or-self keys]], writes: [keys], above: [keys] }`.
 *
 * @packageDocumentation
 */

/** The condition on a `turns` row `t` that it is live: its lease runs and its node's listening connection is open. */
export const LIVE_TURN = `t.until > (extract(epoch FROM clock_timestamp()) * 1000)::bigint
      AND (t.pid IS NULL OR EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = t.pid))`;

/** The SQLSTATE `commit_group` raises when the log is not what a node can follow (`data_corrupted`). */
export const CORRUPT_LOG = 'XX001';

/** The most commits of other nodes one answer carries (a node further behind catches up first). */
export const REMOTE_LIMIT = 1000;

/** The statement that creates the function in `schema` (a quoted identifier). */
export function commitFunctionSql(schema: string, channel: string): string {
  return `
CREATE FUNCTION ${schema}.commit_group(batch jsonb, known bigint) RETURNS jsonb LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $theus$
DECLARE
  locked_head bigint;
  next_version bigint;
  unit jsonb;
  unit_count int := 0;
  seen bigint;
  hit bigint;
  refused jsonb;
  remote_rows jsonb;
  turn_holder text;
BEGIN
  SELECT h.version INTO locked_head FROM ${schema}.head h WHERE h.id = 1 FOR UPDATE;
  -- The log must hold every version up to the head, and not be behind what the node applied
  -- (rolled back, or with a gap): then nothing is stored, and the node is told the log is corrupt.
  IF locked_head < known OR (SELECT count(*) FROM ${schema}.commits c WHERE c.version > known AND c.version <= locked_head) <> locked_head - known
     OR EXISTS (SELECT 1 FROM ${schema}.commits c WHERE c.version > locked_head) THEN
    RAISE EXCEPTION 'theus: the log does not hold versions % to % without a gap (this node applied up to %)', known + 1, locked_head, known
      USING ERRCODE = '${CORRUPT_LOG}';
  END IF;
  IF locked_head - known > ${String(REMOTE_LIMIT)} THEN
    SELECT coalesce(jsonb_agg(jsonb_build_array(c.version, c.process, c.args, c.patches, c.time) ORDER BY c.version), '[]'::jsonb)
      INTO remote_rows FROM ${schema}.commits c WHERE c.version > known AND c.version <= known + ${String(REMOTE_LIMIT)};
    RETURN jsonb_build_object('first', locked_head + 1, 'accepted', 0, 'refused', null, 'remote', remote_rows);
  END IF;
  SELECT t.token INTO turn_holder FROM ${schema}.turns t
    WHERE ${LIVE_TURN} ORDER BY t.seq LIMIT 1;
  IF turn_holder IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(batch) AS u(value) WHERE u.value->>'turn' = turn_holder) THEN
    SELECT coalesce(jsonb_agg(jsonb_build_array(c.version, c.process, c.args, c.patches, c.time) ORDER BY c.version), '[]'::jsonb)
      INTO remote_rows FROM ${schema}.commits c WHERE c.version > known AND c.version <= locked_head;
    RETURN jsonb_build_object('first', locked_head + 1, 'accepted', 0, 'refused', null, 'remote', remote_rows, 'waiting', true);
  END IF;
  FOR unit IN SELECT u.value FROM jsonb_array_elements(batch) WITH ORDINALITY AS u(value, n) ORDER BY u.n LOOP
    seen := (unit->>'seen')::bigint;
    IF seen < locked_head THEN
      IF (unit->>'strict')::boolean THEN
        refused := jsonb_build_object('unit', unit_count, 'kind', 'strict', 'entry', 0);
      ELSE
        SELECT t.n - 1 INTO hit FROM jsonb_array_elements(unit->'touched') WITH ORDINALITY AS t(value, n)
          WHERE EXISTS (SELECT 1 FROM ${schema}.paths p WHERE p.path = t.value->>0 AND p.below > seen)
             OR EXISTS (SELECT 1 FROM ${schema}.paths p
                        WHERE p.path = ANY (ARRAY(SELECT jsonb_array_elements_text(t.value->1))) AND p.at > seen)
          ORDER BY t.n LIMIT 1;
        IF FOUND THEN
          refused := jsonb_build_object('unit', unit_count, 'kind', 'touched', 'entry', hit);
        ELSE
          SELECT t.n - 1 INTO hit FROM jsonb_array_elements(unit->'presence') WITH ORDINALITY AS t(value, n)
            WHERE EXISTS (SELECT 1 FROM ${schema}.paths p
                          WHERE p.path = ANY (ARRAY(SELECT jsonb_array_elements_text(t.value))) AND p.at > seen)
            ORDER BY t.n LIMIT 1;
          IF FOUND THEN
            refused := jsonb_build_object('unit', unit_count, 'kind', 'presence', 'entry', hit);
          END IF;
        END IF;
      END IF;
      EXIT WHEN refused IS NOT NULL;
    END IF;
    unit_count := unit_count + 1;
  END LOOP;

  next_version := locked_head;
  FOR unit IN SELECT u.value FROM jsonb_array_elements(batch) WITH ORDINALITY AS u(value, n) WHERE u.n <= unit_count ORDER BY u.n LOOP
    next_version := next_version + 1;
    INSERT INTO ${schema}.commits (version, process, args, patches, signals, time)
      VALUES (next_version, unit->>'process', unit->>'args', unit->>'patches', unit->>'signals', (unit->>'time')::bigint);
    INSERT INTO ${schema}.outbox (id, version, idx, topic, payload, status, attempts, next_attempt_at)
      SELECT 'v' || next_version || '.' || (o.n - 1), next_version, o.n - 1, o.value->>0, o.value->>1, 'pending', 0, 0
      FROM jsonb_array_elements(unit->'outbox') WITH ORDINALITY AS o(value, n);
    INSERT INTO ${schema}.paths AS p (path, at, below)
      SELECT w.key, next_version, next_version FROM jsonb_array_elements_text(unit->'writes') AS w(key)
      ON CONFLICT (path) DO UPDATE SET at = excluded.at, below = excluded.below;
    INSERT INTO ${schema}.paths AS p (path, at, below)
      SELECT w.key, 0, next_version FROM jsonb_array_elements_text(unit->'above') AS w(key)
      ON CONFLICT (path) DO UPDATE SET below = excluded.below;
    IF unit->>'turn' IS NOT NULL THEN
      DELETE FROM ${schema}.turns WHERE token = unit->>'turn';
    END IF;
  END LOOP;

  IF next_version > locked_head THEN
    UPDATE ${schema}.head SET version = next_version WHERE id = 1;
    PERFORM pg_notify('${channel}', next_version::text);
  END IF;
  SELECT coalesce(jsonb_agg(jsonb_build_array(c.version, c.process, c.args, c.patches, c.time) ORDER BY c.version), '[]'::jsonb)
    INTO remote_rows FROM ${schema}.commits c WHERE c.version > known AND c.version <= locked_head;
  RETURN jsonb_build_object('first', locked_head + 1, 'accepted', next_version - locked_head, 'refused', refused, 'remote', remote_rows);
END
$theus$;`;
}
