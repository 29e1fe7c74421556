-- Flow control's fast path (PostgreSQL; SQLite's 011 is the same change):
-- a claim of a queue with group limits that cannot bind in it reads and
-- writes no group rows (src/store/flow/plan.ts). In a drain of jobs in 20
-- groups with group limits far above what it reaches, the per-group counts,
-- bucket reads and bucket writes were about a tenth of a claim of 10 and
-- its completion (0.12 ms of 1.15 in the server). The queue row keeps what
-- that needs: group_floor_* is a bucket with the group rate's settings that
-- every start takes a token from, so no group's own bucket holds fewer
-- (limits.ts floorTokens); group_skipped_at is the last claim that took
-- jobs without writing the groups' buckets (a bucket stored before it is
-- read as the floor: never more than the group has); group_held_at is the
-- last time a group was held back, cleared when a claim finds the queue
-- empty (while set the fast path is off, as groups' hold times may matter
-- to their jobs' ready times).
ALTER TABLE {schema}.queues
  ADD COLUMN group_floor_tokens double precision,
  ADD COLUMN group_floor_at bigint,
  ADD COLUMN group_skipped_at bigint,
  ADD COLUMN group_held_at bigint;
-- A queue that held a group before this version may have jobs whose ready
-- time depends on it: keep the fast path off until it is next found empty.
UPDATE {schema}.queues q SET group_held_at = 0
WHERE EXISTS (SELECT 1 FROM {schema}.queue_groups g WHERE g.queue = q.name AND g.held_at IS NOT NULL);

-- flow_claim as in 007, with the fast path. The same plan as
-- src/store/flow/plan.ts (which SQLite runs in its synchronous transaction),
-- in the server: one round trip while the queue
-- row is locked. Every statement in a VOLATILE plpgsql function takes a
-- fresh snapshot under READ COMMITTED, so the counts read after the queue
-- row is locked see every claim that committed before the lock was granted.
CREATE OR REPLACE FUNCTION {schema}.flow_claim(
  p_names text[], p_limit integer, p_now bigint, p_worker text, p_lease_expires_at bigint
) RETURNS SETOF {schema}.jobs
LANGUAGE plpgsql VOLATILE
-- Every ordered read below has an index that yields its order (jobs_claim,
-- jobs_group_claim). plpgsql plans its statements once per session, and on a
-- table without statistics yet the planner took jobs_claim plus a sort for a
-- group scan, reading every waiting job on each call (60 ms at 16,000 jobs
-- instead of 0.3). With sorts priced out it takes the index that needs none;
-- JIT stays off, as the priced-out sorts would otherwise push each plan's cost
-- past jit_above_cost and compile it (200 ms a call). Generic plans are
-- forced as the store's own connections do: on a pool the caller passes in,
-- the default let the planner keep re-planning the walk for each call's
-- values (1 ms more a call), as a generic plan looks dearer than a custom one.
SET enable_sort = off
SET jit = off
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  q record;
  left_over integer := p_limit;
  budget integer;
  n_active integer;
  cap double precision;
  v_tokens double precision;
  queue_bound boolean;
  jobs_left boolean;
  v_taken integer;
  v_cursor text;
  -- The groups the walk visited, in walk order: key, what the group's own
  -- limits allow, its refilled tokens, its stored state and the jobs it takes.
  g_keys text[];
  g_allow integer[];
  g_tokens double precision[];
  g_bucket_tokens double precision[];
  g_bucket_at bigint[];
  g_held bigint[];
  g_taken integer[];
  n_visited integer;
  -- The visited groups that may take a job (positions in g_*), in walk
  -- order, with their first jobs and those jobs' ready times.
  e_idx integer[];
  e_ids bigint[];
  e_ready bigint[];
  n_served integer;
  -- The served groups' first jobs, by page (when the walk visited every group).
  h_ids bigint[];
  h_ready bigint[];
  h_pos integer[];
  h_rank integer[];
  h_count integer[];
  h_limit integer[];
  v_page integer;
  v_pass integer;
  v_more boolean;
  pick_ids bigint[];
  pick_ready bigint[];
  pick_pos integer[];
  v_i integer;
  v_k integer;
  v_n integer;
  -- The fast path (plan.ts): the group floor refilled to now, whether no
  -- group limit can bind in this claim, and the queue's group_held_at after it.
  v_floor double precision;
  v_fast boolean;
  v_margin integer;
  v_group_held_at bigint;
BEGIN
  FOR q IN
    SELECT * FROM {schema}.queues
    WHERE name = ANY(p_names) AND flow AND NOT paused
    ORDER BY name
    FOR UPDATE
  LOOP
    EXIT WHEN left_over <= 0;
    -- Due jobs become available, and active jobs are counted (when the queue
    -- has a concurrency), in one statement; promoted jobs are not active.
    WITH promoted AS (
      UPDATE {schema}.jobs SET state = 'available'
      WHERE state = 'scheduled' AND run_at <= p_now AND queue = q.name
    )
    SELECT count(*)::integer INTO n_active FROM {schema}.jobs
    WHERE q.concurrency IS NOT NULL AND queue = q.name AND state = 'active';

    -- Budget = min(what is asked, concurrency − active, whole tokens).
    budget := left_over;
    IF q.concurrency IS NOT NULL THEN
      budget := least(budget, q.concurrency - n_active);
    END IF;
    v_tokens := NULL;
    IF q.rate_limit IS NOT NULL THEN
      cap := coalesce(q.rate_burst, q.rate_limit);
      v_tokens := CASE WHEN q.tokens IS NULL OR q.refilled_at IS NULL THEN cap
                ELSE least(cap, q.tokens + greatest(0, p_now - q.refilled_at)::double precision
                                             * q.rate_limit / q.rate_period_ms) END;
      budget := least(budget, floor(v_tokens + 1e-9)::integer);
    END IF;
    budget := greatest(0, budget);
    queue_bound := budget < left_over;
    jobs_left := false;
    v_cursor := q.group_cursor;
    v_taken := 0;
    pick_ids := NULL;
    v_floor := NULL;
    v_fast := false;

    IF NOT (q.group_concurrency IS NOT NULL OR q.group_rate_limit IS NOT NULL OR q.fair) THEN
      -- One more than the budget tells whether jobs wait behind the limit (only asked when it binds).
      IF queue_bound THEN
        SELECT count(*) > budget INTO jobs_left FROM (
          SELECT 1 FROM {schema}.jobs WHERE state = 'available' AND queue = q.name
          ORDER BY priority DESC, run_at, id LIMIT budget + 1 FOR UPDATE SKIP LOCKED
        ) c;
      END IF;
      IF budget > 0 THEN
        SELECT array_agg(c.id) INTO pick_ids FROM (
          SELECT id FROM {schema}.jobs WHERE state = 'available' AND queue = q.name
          ORDER BY priority DESC, run_at, id LIMIT budget FOR UPDATE SKIP LOCKED
        ) c;
        IF pick_ids IS NOT NULL THEN
          -- The rows are locked (FOR UPDATE above), so they are still available.
          -- id = ANY(array) alone is a primary-key lookup whatever the table's
          -- statistics say; a state test would tempt the planner to a partial index.
          RETURN QUERY
            WITH leased AS (
            UPDATE {schema}.jobs j
            SET state = 'active', attempt = j.attempt + 1, worker_id = p_worker,
                lease_expires_at = p_lease_expires_at, started_at = p_now,
                ready_at = greatest(j.run_at, coalesce(q.held_at, j.run_at))
            WHERE j.id = ANY(pick_ids)
            RETURNING j.*)
            SELECT * FROM leased;
          GET DIAGNOSTICS v_taken = ROW_COUNT;
        END IF;
      END IF;
    ELSIF budget = 0 THEN
      -- Nothing to take; whether anything waits matters only when the queue's own limit binds.
      IF queue_bound THEN
        PERFORM 1 FROM {schema}.jobs WHERE state = 'available' AND queue = q.name
        ORDER BY priority DESC, run_at, id LIMIT 1;
        jobs_left := FOUND;
      END IF;
    ELSE
      -- The fast path (plan.ts): no group limit can bind in this claim when
      -- the queue's active jobs plus the budget stay within the group
      -- concurrency, the group floor holds the budget, and no group was held
      -- back since the queue was last empty. The walk then reads no group
      -- counts or buckets, and no group rows are written.
      IF q.group_rate_limit IS NOT NULL THEN
        v_floor := CASE WHEN q.group_floor_tokens IS NULL OR q.group_floor_at IS NULL THEN 0
                   ELSE least(coalesce(q.group_rate_burst, q.group_rate_limit)::double precision,
                              q.group_floor_tokens + greatest(0, p_now - q.group_floor_at)::double precision
                                                     * q.group_rate_limit / q.group_rate_period_ms) END;
      END IF;
      v_fast := q.group_held_at IS NULL AND (v_floor IS NULL OR v_floor >= budget);
      IF v_fast AND q.group_concurrency IS NOT NULL THEN
        v_margin := q.group_concurrency - budget;
        IF v_margin < 0 THEN
          v_fast := false;
        ELSIF q.concurrency IS NOT NULL THEN
          v_fast := n_active <= v_margin;
        ELSE
          -- Counting up to the first active job past the margin is enough to know.
          SELECT count(*) <= v_margin INTO v_fast FROM (
            SELECT 1 FROM {schema}.jobs WHERE queue = q.name AND state = 'active' LIMIT v_margin + 1
          ) c;
        END IF;
      END IF;

      -- The round-robin walk (plan.ts walkGroups), in one statement: groups
      -- with available jobs in cycle order ('' for jobs without a group, then
      -- the keys in jobs_group_claim's order), from the group after the cursor,
      -- wrapping around once, until `budget` groups that may take a job are
      -- found or every group was visited. Each step is one seek on
      -- jobs_group_claim (ORDER BY the index's columns, LIMIT 1: no sort, and
      -- the group's first job comes with its key), plus the group's stored
      -- state and active jobs. A row without a job marks the wrap-around.
      -- The aggregates take the rows in the order the walk made them (a CTE
      -- scan reads its rows in order; ORDER BY in each would sort each).
      -- On the fast path the walk is the same seeks without the groups'
      -- counts, buckets and allowances: a statement of its own, as even
      -- unexecuted subplans cost their start-up in every call.
      IF v_fast THEN
      SELECT array_agg(w.group_key), array_agg(w.allowance), array_agg(w.g_tokens), array_agg(w.tokens),
             array_agg(w.refilled_at), array_agg(w.held_at),
             array_agg(CASE WHEN w.allowance >= 1 THEN 1 ELSE 0 END),
             array_agg(w.n) FILTER (WHERE w.allowance >= 1),
             array_agg(w.id) FILTER (WHERE w.allowance >= 1),
             array_agg(greatest(w.run_at, coalesce(q.held_at, w.run_at), coalesce(w.held_at, w.run_at)))
               FILTER (WHERE w.allowance >= 1)
      INTO g_keys, g_allow, g_tokens, g_bucket_tokens, g_bucket_at, g_held, g_taken, e_idx, e_ids, e_ready
      FROM (
        WITH RECURSIVE walk(n, group_key, wrapped, n_eligible, id, run_at, tokens, refilled_at, held_at,
                            g_tokens, allowance) AS (
          -- Where the walk starts; a walk from the start of the cycle covers it without wrapping.
          SELECT 0, q.group_cursor, q.group_cursor IS NULL, 0, NULL::bigint, NULL::bigint,
                 NULL::double precision, NULL::bigint, NULL::bigint, NULL::double precision, NULL::integer
          UNION ALL
          SELECT w.n + CASE WHEN nx.id IS NULL THEN 0 ELSE 1 END, nx.group_key, nx.wrapped,
                 w.n_eligible + CASE WHEN nx.id IS NOT NULL THEN 1 ELSE 0 END,
                 nx.id, nx.run_at, NULL::double precision, NULL::bigint, NULL::bigint, NULL::double precision,
                 2147483647
          FROM walk w
          -- The next group: '' first in the cycle, then the next key (once
          -- wrapped, not past the cursor: a bound in the index condition, as a
          -- filter the seek would read every job after the cursor to find none);
          -- past the last key, a row without a job wraps around to the start.
          -- The Append stops at the first row; each branch's test of w and q
          -- alone is a one-time filter.
          CROSS JOIN LATERAL (
            (SELECT ''::text AS group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE w.group_key IS NULL AND j.queue = q.name AND j.state = 'available' AND j.group_key IS NULL
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            (SELECT j.group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE (NOT w.wrapped OR q.group_cursor IS NULL)
               AND j.queue = q.name AND j.state = 'available' AND j.group_key > coalesce(w.group_key, '')
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            (SELECT j.group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE w.wrapped AND j.queue = q.name AND j.state = 'available'
               AND j.group_key > coalesce(w.group_key, '') AND j.group_key <= q.group_cursor
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            SELECT NULL, true, NULL, NULL WHERE NOT w.wrapped
            LIMIT 1
          ) nx
          -- The group's stored state and its active jobs, as subplans of one
          -- lateral row (OFFSET 0 keeps it whole): each a seek on a primary key
          -- or jobs_group_active, whatever the planner thinks of the tables.
          WHERE w.n_eligible < budget
        )
        SELECT * FROM walk
      ) w
      WHERE w.id IS NOT NULL;
      ELSE
      SELECT array_agg(w.group_key), array_agg(w.allowance), array_agg(w.g_tokens), array_agg(w.tokens),
             array_agg(w.refilled_at), array_agg(w.held_at),
             array_agg(CASE WHEN w.allowance >= 1 THEN 1 ELSE 0 END),
             array_agg(w.n) FILTER (WHERE w.allowance >= 1),
             array_agg(w.id) FILTER (WHERE w.allowance >= 1),
             array_agg(greatest(w.run_at, coalesce(q.held_at, w.run_at), coalesce(w.held_at, w.run_at)))
               FILTER (WHERE w.allowance >= 1)
      INTO g_keys, g_allow, g_tokens, g_bucket_tokens, g_bucket_at, g_held, g_taken, e_idx, e_ids, e_ready
      FROM (
        WITH RECURSIVE walk(n, group_key, wrapped, n_eligible, id, run_at, tokens, refilled_at, held_at,
                            g_tokens, allowance) AS (
          -- Where the walk starts; a walk from the start of the cycle covers it without wrapping.
          SELECT 0, q.group_cursor, q.group_cursor IS NULL, 0, NULL::bigint, NULL::bigint,
                 NULL::double precision, NULL::bigint, NULL::bigint, NULL::double precision, NULL::integer
          UNION ALL
          SELECT w.n + CASE WHEN nx.id IS NULL THEN 0 ELSE 1 END, nx.group_key, nx.wrapped,
                 w.n_eligible + CASE WHEN nx.id IS NOT NULL AND a.allowance >= 1 THEN 1 ELSE 0 END,
                 nx.id, nx.run_at, (l.st).tokens, (l.st).refilled_at, (l.st).held_at, t.g_tokens, a.allowance
          FROM walk w
          -- The next group: '' first in the cycle, then the next key (once
          -- wrapped, not past the cursor: a bound in the index condition, as a
          -- filter the seek would read every job after the cursor to find none);
          -- past the last key, a row without a job wraps around to the start.
          -- The Append stops at the first row; each branch's test of w and q
          -- alone is a one-time filter.
          CROSS JOIN LATERAL (
            (SELECT ''::text AS group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE w.group_key IS NULL AND j.queue = q.name AND j.state = 'available' AND j.group_key IS NULL
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            (SELECT j.group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE (NOT w.wrapped OR q.group_cursor IS NULL)
               AND j.queue = q.name AND j.state = 'available' AND j.group_key > coalesce(w.group_key, '')
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            (SELECT j.group_key, w.wrapped, j.id, j.run_at FROM {schema}.jobs j
             WHERE w.wrapped AND j.queue = q.name AND j.state = 'available'
               AND j.group_key > coalesce(w.group_key, '') AND j.group_key <= q.group_cursor
             ORDER BY j.queue, j.group_key, j.priority DESC, j.run_at, j.id LIMIT 1)
            UNION ALL
            SELECT NULL, true, NULL, NULL WHERE NOT w.wrapped
            LIMIT 1
          ) nx
          -- The group's stored state and its active jobs, as subplans of one
          -- lateral row (OFFSET 0 keeps it whole): each a seek on a primary key
          -- or jobs_group_active, whatever the planner thinks of the tables.
          CROSS JOIN LATERAL (
            SELECT (SELECT g FROM {schema}.queue_groups g
                    WHERE g.queue = q.name AND g.group_key = nx.group_key) AS st,
                   (SELECT count(*)::integer FROM {schema}.jobs b
                    WHERE q.group_concurrency IS NOT NULL AND b.queue = q.name AND b.state = 'active'
                      AND b.group_key = nx.group_key) AS busy
            OFFSET 0
          ) l
          -- A bucket stored before the last claim that skipped the buckets holds
          -- at least the floor (limits.ts groupBucket), and is read as that.
          CROSS JOIN LATERAL (
            SELECT CASE WHEN nx.group_key <> '' AND q.group_rate_limit IS NOT NULL THEN
              CASE WHEN q.group_skipped_at IS NOT NULL
                        AND ((l.st).refilled_at IS NULL OR (l.st).refilled_at <= q.group_skipped_at)
                   THEN greatest(0, v_floor)
                   WHEN (l.st).tokens IS NULL OR (l.st).refilled_at IS NULL
                   THEN coalesce(q.group_rate_burst, q.group_rate_limit)::double precision
                   ELSE least(coalesce(q.group_rate_burst, q.group_rate_limit)::double precision,
                              (l.st).tokens + greatest(0, p_now - (l.st).refilled_at)::double precision
                                              * q.group_rate_limit / q.group_rate_period_ms) END
            END AS g_tokens
          ) t
          CROSS JOIN LATERAL (
            SELECT greatest(0, least(
              CASE WHEN nx.group_key <> '' AND q.group_concurrency IS NOT NULL
                   THEN q.group_concurrency - l.busy ELSE 2147483647 END,
              CASE WHEN t.g_tokens IS NOT NULL THEN floor(t.g_tokens + 1e-9)::integer ELSE 2147483647 END
            )) AS allowance
          ) a
          WHERE w.n_eligible < budget
        )
        SELECT * FROM walk
      ) w
      WHERE w.id IS NOT NULL;
      END IF;

      n_visited := coalesce(array_length(g_keys, 1), 0);
      n_served := coalesce(array_length(e_idx, 1), 0);
      -- Groups passed over, or jobs past what a served group took, may be left; true when unsure.
      jobs_left := n_served < n_visited;
      IF n_served >= budget THEN
        -- The walk stopped at the budget: each group takes the first job it read.
        jobs_left := true;
        pick_ids := e_ids;
        pick_ready := e_ready;
        v_cursor := g_keys[e_idx[n_served]];
      ELSIF n_served > 0 THEN
        -- Every group was visited: read each served group's fair share of the
        -- budget and one more (which tells whether it has jobs left); when
        -- short groups leave budget over, the groups whose page was full and
        -- may take more read up to `budget`. Reading `budget` jobs of every
        -- group would read up to budget × groups rows to take `budget`.
        v_page := least(budget, ceil(budget::numeric / n_served)::integer + 1);
        h_limit := array_fill(v_page, ARRAY[n_served]);
        FOR v_pass IN 1 .. 2 LOOP
          -- The first h_limit[k] jobs of served group k, in claim order: one
          -- seek each on jobs_group_claim (whose full order the ORDER BY names,
          -- so IS NULL gets it too). Not locked, like the walk's: the queue row's
          -- lock keeps other claims of this queue out, and the lease below
          -- tests the state again, so a job cancelled since is skipped.
          SELECT array_agg(h.id ORDER BY h.pos, h.priority DESC, h.run_at, h.id),
                 array_agg(h.ready ORDER BY h.pos, h.priority DESC, h.run_at, h.id),
                 array_agg(h.pos ORDER BY h.pos, h.priority DESC, h.run_at, h.id)
          INTO h_ids, h_ready, h_pos
          FROM (
            SELECT s.pos::integer AS pos, hj.id, hj.priority, hj.run_at,
                   greatest(hj.run_at, coalesce(q.held_at, hj.run_at), coalesce(g_held[s.idx], hj.run_at)) AS ready
            FROM unnest(e_idx) WITH ORDINALITY AS s(idx, pos)
            CROSS JOIN LATERAL (
              SELECT id, run_at, priority FROM {schema}.jobs
              WHERE state = 'available' AND queue = q.name AND group_key = g_keys[s.idx]
              ORDER BY queue, group_key, priority DESC, run_at, id
              LIMIT h_limit[s.pos::integer]
            ) hj
            WHERE g_keys[s.idx] <> ''
            UNION ALL
            SELECT s.pos::integer AS pos, hj.id, hj.priority, hj.run_at,
                   greatest(hj.run_at, coalesce(q.held_at, hj.run_at)) AS ready
            FROM unnest(e_idx) WITH ORDINALITY AS s(idx, pos)
            CROSS JOIN LATERAL (
              SELECT id, run_at, priority FROM {schema}.jobs
              WHERE state = 'available' AND queue = q.name AND group_key IS NULL
              ORDER BY queue, group_key, priority DESC, run_at, id
              LIMIT h_limit[s.pos::integer]
            ) hj
            WHERE g_keys[s.idx] = ''
          ) h;

          -- Each job's rank within its group, and each group's count.
          h_count := array_fill(0, ARRAY[n_served]);
          h_rank := '{}';
          FOR v_i IN 1 .. coalesce(array_length(h_ids, 1), 0) LOOP
            h_count[h_pos[v_i]] := h_count[h_pos[v_i]] + 1;
            h_rank[v_i] := h_count[h_pos[v_i]];
          END LOOP;
          EXIT WHEN v_pass = 2 OR v_page >= budget;
          v_n := 0;
          FOR v_k IN 1 .. n_served LOOP
            v_n := v_n + least(h_count[v_k], g_allow[e_idx[v_k]]);
          END LOOP;
          EXIT WHEN v_n >= budget;
          v_more := false;
          FOR v_k IN 1 .. n_served LOOP
            IF h_count[v_k] = v_page AND g_allow[e_idx[v_k]] > v_page THEN
              h_limit[v_k] := budget;
              v_more := true;
            END IF;
          END LOOP;
          EXIT WHEN NOT v_more;
        END LOOP;

        -- Round-robin in walk order: one job per group per round, each group up to its allowance.
        SELECT array_agg(p.id), array_agg(p.ready), array_agg(p.pos) INTO pick_ids, pick_ready, pick_pos
        FROM (
          SELECT h.id, h.ready, h.pos FROM unnest(h_ids, h_ready, h_pos, h_rank) AS h(id, ready, pos, rk)
          WHERE h.rk <= g_allow[e_idx[h.pos]]
          ORDER BY h.rk, h.pos
          LIMIT budget
        ) p;

        g_taken := array_fill(0, ARRAY[n_visited]);
        FOR v_i IN 1 .. coalesce(array_length(pick_pos, 1), 0) LOOP
          v_k := e_idx[pick_pos[v_i]];
          g_taken[v_k] := g_taken[v_k] + 1;
        END LOOP;
        FOR v_k IN 1 .. n_served LOOP
          v_n := g_taken[e_idx[v_k]];
          -- Jobs read but not taken are left; so may be jobs past a page that was taken whole.
          IF v_n < h_count[v_k]
             OR (h_count[v_k] = h_limit[v_k] AND v_n = h_count[v_k] AND h_limit[v_k] < budget) THEN
            jobs_left := true;
          END IF;
        END LOOP;
        IF pick_pos IS NOT NULL THEN
          v_cursor := g_keys[e_idx[pick_pos[array_length(pick_pos, 1)]]];
        END IF;
      END IF;

      -- A group held back now turns the fast path off until the queue is found empty.
      v_group_held_at := CASE
        WHEN EXISTS (SELECT 1 FROM unnest(g_keys, g_allow) AS v(k, a) WHERE v.k <> '' AND v.a < 1) THEN p_now
        WHEN n_visited = 0 THEN NULL
        ELSE q.group_held_at END;

      -- The jobs, the groups' state and the queue's row in one statement.
      -- The picked jobs are not locked: the state test skips one that changed
      -- since it was read (cancelled, say), and the join to the picks keeps
      -- each a primary-key lookup. Groups held back by their own limits are
      -- remembered, so their waits are not counted as capacity waits; served
      -- groups keep their rate tokens.
      -- On the fast path no group row is written: the same statement without
      -- that part (an INSERT that writes nothing still opens its indexes).
      IF v_fast THEN
      RETURN QUERY
        WITH leased AS (
          UPDATE {schema}.jobs j
          SET state = 'active', attempt = j.attempt + 1, worker_id = p_worker,
              lease_expires_at = p_lease_expires_at, started_at = p_now, ready_at = v.ready
          FROM unnest(pick_ids, pick_ready) AS v(id, ready)
          WHERE j.id = v.id AND j.state = 'available'
          RETURNING j.*
        ), saved_queue AS (
          UPDATE {schema}.queues
          SET tokens = CASE WHEN v_tokens IS NULL THEN q.tokens ELSE v_tokens - (SELECT count(*) FROM leased) END,
              refilled_at = CASE WHEN v_tokens IS NULL THEN q.refilled_at
                                 ELSE greatest(p_now, coalesce(q.refilled_at, p_now)) END,
              group_cursor = v_cursor,
              held_at = CASE WHEN queue_bound AND jobs_left THEN p_now ELSE q.held_at END,
              group_floor_tokens = CASE WHEN v_floor IS NULL THEN q.group_floor_tokens
                                        ELSE v_floor - (SELECT count(*) FROM leased) END,
              group_floor_at = CASE WHEN v_floor IS NULL THEN q.group_floor_at
                                    ELSE greatest(p_now, coalesce(q.group_floor_at, p_now)) END,
              group_skipped_at = CASE WHEN v_floor IS NOT NULL THEN p_now ELSE q.group_skipped_at END,
              group_held_at = v_group_held_at
          WHERE name = q.name
            AND (v_tokens IS NOT NULL OR v_cursor IS DISTINCT FROM q.group_cursor OR (queue_bound AND jobs_left)
                 OR v_floor IS NOT NULL OR v_group_held_at IS DISTINCT FROM q.group_held_at)
        )
        SELECT * FROM leased;
      ELSE
      RETURN QUERY
        WITH leased AS (
          UPDATE {schema}.jobs j
          SET state = 'active', attempt = j.attempt + 1, worker_id = p_worker,
              lease_expires_at = p_lease_expires_at, started_at = p_now, ready_at = v.ready
          FROM unnest(pick_ids, pick_ready) AS v(id, ready)
          WHERE j.id = v.id AND j.state = 'available'
          RETURNING j.*
        ), saved AS (
          INSERT INTO {schema}.queue_groups AS s (queue, group_key, tokens, refilled_at, held_at)
          SELECT q.name, v.group_key,
                 CASE WHEN v.allowance < 1 THEN coalesce(v.g_tokens, v.tokens) ELSE v.g_tokens - v.taken END,
                 CASE WHEN v.g_tokens IS NULL THEN v.refilled_at ELSE p_now END,
                 CASE WHEN v.allowance < 1 THEN p_now ELSE v.held_at END
          FROM unnest(g_keys, g_allow, g_tokens, g_bucket_tokens, g_bucket_at, g_held, g_taken)
            AS v(group_key, allowance, g_tokens, tokens, refilled_at, held_at, taken)
          WHERE v.group_key <> '' AND (v.allowance < 1 OR (v.taken > 0 AND v.g_tokens IS NOT NULL))
          ON CONFLICT (queue, group_key) DO UPDATE SET
            tokens = excluded.tokens, refilled_at = excluded.refilled_at, held_at = excluded.held_at
        ), saved_queue AS (
          UPDATE {schema}.queues
          SET tokens = CASE WHEN v_tokens IS NULL THEN q.tokens ELSE v_tokens - (SELECT count(*) FROM leased) END,
              refilled_at = CASE WHEN v_tokens IS NULL THEN q.refilled_at
                                 ELSE greatest(p_now, coalesce(q.refilled_at, p_now)) END,
              group_cursor = v_cursor,
              held_at = CASE WHEN queue_bound AND jobs_left THEN p_now ELSE q.held_at END,
              group_floor_tokens = CASE WHEN v_floor IS NULL THEN q.group_floor_tokens
                                        ELSE v_floor - (SELECT count(*) FROM leased) END,
              group_floor_at = CASE WHEN v_floor IS NULL THEN q.group_floor_at
                                    ELSE greatest(p_now, coalesce(q.group_floor_at, p_now)) END,
              group_held_at = v_group_held_at
          WHERE name = q.name
            AND (v_tokens IS NOT NULL OR v_cursor IS DISTINCT FROM q.group_cursor OR (queue_bound AND jobs_left)
                 OR v_floor IS NOT NULL OR v_group_held_at IS DISTINCT FROM q.group_held_at)
        )
        SELECT * FROM leased;
      END IF;
      GET DIAGNOSTICS v_taken = ROW_COUNT;
      left_over := left_over - v_taken;
      CONTINUE;
    END IF;

    -- The queue's bucket, cursor and held time; written only when one changed.
    IF v_tokens IS NOT NULL OR v_cursor IS DISTINCT FROM q.group_cursor OR (queue_bound AND jobs_left) THEN
      UPDATE {schema}.queues
      SET tokens = CASE WHEN v_tokens IS NULL THEN q.tokens ELSE v_tokens - v_taken END,
          refilled_at = CASE WHEN v_tokens IS NULL THEN q.refilled_at ELSE greatest(p_now, coalesce(q.refilled_at, p_now)) END,
          group_cursor = v_cursor,
          held_at = CASE WHEN queue_bound AND jobs_left THEN p_now ELSE q.held_at END
      WHERE name = q.name;
    END IF;
    left_over := left_over - v_taken;
  END LOOP;
END
$$;
