-- Flow control, version 6 (PostgreSQL): the claim of limited queues runs
-- inside the server, as one call. Taken from the client, with a statement
-- per step (lock, promote, count, pick, lease, save), it needed eight round
-- trips while it held the queue row's lock, and limits that were not even
-- binding cost half the drain rate. The function follows the same plan as
-- src/store/flow/plan.ts, which SQLite runs in its synchronous transaction;
-- the conformance suite holds both to the same behaviour.
--
-- Every statement in a VOLATILE plpgsql function takes a fresh snapshot
-- under READ COMMITTED, so the counts read after the queue row is locked
-- see every claim that committed before the lock was granted.
CREATE FUNCTION {schema}.flow_claim(
  p_names text[], p_limit integer, p_now bigint, p_worker text, p_lease_expires_at bigint
) RETURNS SETOF {schema}.jobs
LANGUAGE plpgsql VOLATILE
-- Every ordered read below has an index that yields its order (jobs_claim,
-- jobs_group_claim). plpgsql plans its statements once per session, and on a
-- table without statistics yet the planner took jobs_claim plus a sort for the
-- group scan, reading every waiting job on each call (60 ms at 16,000 jobs
-- instead of 0.3). With sorts priced out it takes the index that needs none;
-- JIT stays off, as the priced-out sorts would otherwise push each plan's cost
-- past jit_above_cost and compile it (200 ms a call).
SET enable_sort = off
SET jit = off
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
  v_turn bigint;
  v_taken integer;
  grouped boolean;
  -- Groups with waiting jobs, in round-robin order, and what each may take.
  g_keys text[];
  g_allow integer[];
  g_tokens double precision[];
  g_bucket_tokens double precision[];
  g_bucket_at bigint[];
  g_turn bigint[];
  g_held bigint[];
  n_eligible integer;
  serve integer[];
  -- Heads of the served groups, in claim order within each group.
  h_ids bigint[];
  h_run_ats bigint[];
  h_pos integer[];
  h_count integer[];
  h_limit integer[];
  v_page integer;
  v_pass integer;
  pick_ids bigint[];
  pick_ready bigint[];
  pick_n integer[];
  -- Group state to write back.
  s_keys text[];
  s_tokens double precision[];
  s_at bigint[];
  s_turn bigint[];
  s_held bigint[];
  v_i integer;
  v_k integer;
  v_m integer;
  v_round integer;
  any_taken boolean;
BEGIN
  FOR q IN
    SELECT * FROM {schema}.queues
    WHERE name = ANY(p_names) AND flow AND NOT paused
    ORDER BY name
    FOR UPDATE
  LOOP
    EXIT WHEN left_over <= 0;
    UPDATE {schema}.jobs SET state = 'available'
    WHERE state = 'scheduled' AND run_at <= p_now AND queue = q.name;

    -- Budget = min(what is asked, concurrency − active, whole tokens).
    budget := left_over;
    IF q.concurrency IS NOT NULL THEN
      SELECT count(*)::integer INTO n_active FROM {schema}.jobs WHERE queue = q.name AND state = 'active';
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
    v_turn := q.turn;
    v_taken := 0;
    grouped := q.group_concurrency IS NOT NULL OR q.group_rate_limit IS NOT NULL OR q.fair;

    IF NOT grouped THEN
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
    ELSE
      -- Groups with available jobs (a loose index scan; '' stands for no group), least recently served first.
      SELECT array_agg(w.group_key), array_agg(w.allowance), array_agg(w.g_tokens), array_agg(w.tokens),
             array_agg(w.refilled_at), array_agg(w.served_turn), array_agg(w.held_at)
      INTO g_keys, g_allow, g_tokens, g_bucket_tokens, g_bucket_at, g_turn, g_held
      FROM (
        SELECT st.*,
          greatest(0, least(
            CASE WHEN st.group_key <> '' AND q.group_concurrency IS NOT NULL
                 THEN q.group_concurrency - st.active ELSE 2147483647 END,
            CASE WHEN st.g_tokens IS NOT NULL THEN floor(st.g_tokens + 1e-9)::integer ELSE 2147483647 END
          )) AS allowance
        FROM (
          SELECT gs.*,
            CASE WHEN gs.group_key <> '' AND q.group_rate_limit IS NOT NULL THEN
              CASE WHEN gs.tokens IS NULL OR gs.refilled_at IS NULL
                   THEN coalesce(q.group_rate_burst, q.group_rate_limit)::double precision
                   ELSE least(coalesce(q.group_rate_burst, q.group_rate_limit)::double precision,
                              gs.tokens + greatest(0, p_now - gs.refilled_at)::double precision
                                          * q.group_rate_limit / q.group_rate_period_ms) END
            END AS g_tokens
          FROM (
            -- Each step is ORDER BY queue, group_key LIMIT 1, which only jobs_group_claim
            -- serves without a sort: min() or EXISTS let the planner walk jobs_claim
            -- instead while the table has no statistics, reading every waiting job.
            WITH RECURSIVE g(k) AS (
              SELECT (SELECT group_key FROM {schema}.jobs
                      WHERE queue = q.name AND state = 'available' AND group_key IS NOT NULL
                      ORDER BY queue, group_key LIMIT 1)
              UNION ALL
              SELECT (SELECT group_key FROM {schema}.jobs
                      WHERE queue = q.name AND state = 'available' AND group_key > g.k
                      ORDER BY queue, group_key LIMIT 1)
              FROM g WHERE g.k IS NOT NULL
            ),
            waiting(group_key) AS (
              SELECT k FROM g WHERE k IS NOT NULL
              UNION ALL
              SELECT '' WHERE (SELECT true FROM {schema}.jobs
                               WHERE queue = q.name AND state = 'available' AND group_key IS NULL
                               ORDER BY queue, group_key LIMIT 1)
            ),
            -- Active jobs per group in one pass over the few active ones.
            busy AS (
              SELECT group_key, count(*)::integer AS n FROM {schema}.jobs
              WHERE q.group_concurrency IS NOT NULL AND queue = q.name AND state = 'active'
                AND group_key IS NOT NULL
              GROUP BY group_key
            )
            SELECT w.group_key, s.tokens, s.refilled_at, coalesce(s.served_turn, 0) AS served_turn, s.held_at,
              coalesce(b.n, 0) AS active
            FROM waiting w
            LEFT JOIN {schema}.queue_groups s ON s.queue = q.name AND s.group_key = w.group_key
            LEFT JOIN busy b ON b.group_key = w.group_key
          ) gs
        ) st
        -- Round-robin order: least recently served first (the aggregates keep this order).
        ORDER BY st.served_turn, st.group_key COLLATE "C"
      ) w;

      s_keys := '{}'; s_tokens := '{}'; s_at := '{}'; s_turn := '{}'; s_held := '{}';
      serve := '{}';
      n_eligible := 0;
      FOR v_i IN 1 .. coalesce(array_length(g_keys, 1), 0) LOOP
        IF g_allow[v_i] >= 1 THEN
          n_eligible := n_eligible + 1;
          IF n_eligible <= budget THEN serve := serve || v_i; END IF;
        ELSIF g_keys[v_i] <> '' THEN
          -- Held back by its own limits: remembered so its wait is not counted as a capacity wait.
          s_keys := s_keys || g_keys[v_i];
          s_tokens := s_tokens || coalesce(g_tokens[v_i], g_bucket_tokens[v_i]);
          s_at := s_at || CASE WHEN g_tokens[v_i] IS NOT NULL THEN p_now ELSE g_bucket_at[v_i] END;
          s_turn := s_turn || g_turn[v_i];
          s_held := s_held || p_now;
        END IF;
      END LOOP;
      jobs_left := n_eligible > budget OR n_eligible < coalesce(array_length(g_keys, 1), 0);

      IF budget > 0 AND array_length(serve, 1) > 0 THEN
        -- Each group's fair share of the budget and one more (which tells whether
        -- it has jobs left); groups whose page was full read up to `budget` in a
        -- second pass when short groups left budget over (as plan.ts does).
        v_page := least(budget, ceil(budget::numeric / array_length(serve, 1))::integer + 1);
        h_limit := array_fill(v_page, ARRAY[array_length(serve, 1)]);
        FOR v_pass IN 1 .. 2 LOOP
          -- The first h_limit[k] jobs of each served group k, in claim order.
          SELECT array_agg(h.id ORDER BY h.pos, h.priority DESC, h.run_at, h.id),
                 array_agg(h.run_at ORDER BY h.pos, h.priority DESC, h.run_at, h.id),
                 array_agg(h.pos ORDER BY h.pos, h.priority DESC, h.run_at, h.id)
          INTO h_ids, h_run_ats, h_pos
          FROM (
            SELECT s.pos_big::integer AS pos, hj.id, hj.run_at, hj.priority
            FROM unnest(serve) WITH ORDINALITY AS s(idx, pos_big)
            CROSS JOIN LATERAL (
              SELECT id, run_at, priority FROM {schema}.jobs
              WHERE state = 'available' AND queue = q.name AND group_key = g_keys[s.idx]
              ORDER BY priority DESC, run_at, id
              LIMIT h_limit[s.pos_big::integer]
              FOR UPDATE SKIP LOCKED
            ) hj
            WHERE g_keys[s.idx] <> ''
            UNION ALL
            SELECT s.pos_big::integer AS pos, hj.id, hj.run_at, hj.priority
            FROM unnest(serve) WITH ORDINALITY AS s(idx, pos_big)
            CROSS JOIN LATERAL (
              SELECT id, run_at, priority FROM {schema}.jobs
              WHERE state = 'available' AND queue = q.name AND group_key IS NULL
              ORDER BY priority DESC, run_at, id
              LIMIT h_limit[s.pos_big::integer]
              FOR UPDATE SKIP LOCKED
            ) hj
            WHERE g_keys[s.idx] = ''
          ) h;

          h_count := array_fill(0, ARRAY[array_length(serve, 1)]);
          FOR v_i IN 1 .. coalesce(array_length(h_ids, 1), 0) LOOP
            h_count[h_pos[v_i]] := h_count[h_pos[v_i]] + 1;
          END LOOP;
          EXIT WHEN v_pass = 2 OR v_page >= budget;
          v_m := 0;
          FOR v_k IN 1 .. array_length(serve, 1) LOOP
            v_m := v_m + least(h_count[v_k], g_allow[serve[v_k]]);
          END LOOP;
          EXIT WHEN v_m >= budget;
          any_taken := false;
          FOR v_k IN 1 .. array_length(serve, 1) LOOP
            IF h_count[v_k] = v_page AND g_allow[serve[v_k]] > v_page THEN
              h_limit[v_k] := budget;
              any_taken := true;
            END IF;
          END LOOP;
          EXIT WHEN NOT any_taken;
        END LOOP;

        -- Round-robin: one job per group per round, each group up to its allowance.
        pick_ids := '{}'; pick_ready := '{}';
        pick_n := array_fill(0, ARRAY[array_length(serve, 1)]);
        v_round := 0;
        LOOP
          EXIT WHEN coalesce(array_length(pick_ids, 1), 0) >= budget;
          any_taken := false;
          FOR v_k IN 1 .. array_length(serve, 1) LOOP
            EXIT WHEN coalesce(array_length(pick_ids, 1), 0) >= budget;
            CONTINUE WHEN v_round >= least(h_count[v_k], g_allow[serve[v_k]]);
            -- The r-th head of group k sits after the heads of the groups before it.
            v_i := v_round + 1;
            FOR v_m IN 1 .. v_k - 1 LOOP v_i := v_i + h_count[v_m]; END LOOP;
            pick_ids := pick_ids || h_ids[v_i];
            pick_ready := pick_ready || greatest(h_run_ats[v_i], coalesce(q.held_at, h_run_ats[v_i]),
                                                 coalesce(g_held[serve[v_k]], h_run_ats[v_i]));
            pick_n[v_k] := v_round + 1;
            any_taken := true;
          END LOOP;
          EXIT WHEN NOT any_taken;
          v_round := v_round + 1;
        END LOOP;

        FOR v_k IN 1 .. array_length(serve, 1) LOOP
          -- Jobs read but not taken are left; so may be jobs past a page that was taken whole.
          IF pick_n[v_k] < h_count[v_k]
             OR (h_count[v_k] = h_limit[v_k] AND pick_n[v_k] = h_count[v_k] AND h_limit[v_k] < budget) THEN
            jobs_left := true;
          END IF;
          CONTINUE WHEN pick_n[v_k] = 0;
          v_turn := v_turn + 1;
          v_i := serve[v_k];
          s_keys := s_keys || g_keys[v_i];
          s_tokens := s_tokens || CASE WHEN g_tokens[v_i] IS NULL THEN g_bucket_tokens[v_i] ELSE g_tokens[v_i] - pick_n[v_k] END;
          s_at := s_at || CASE WHEN g_tokens[v_i] IS NULL THEN g_bucket_at[v_i] ELSE p_now END;
          s_turn := s_turn || v_turn;
          s_held := s_held || g_held[v_i];
        END LOOP;

        IF array_length(pick_ids, 1) > 0 THEN
          RETURN QUERY
            WITH leased AS (
            UPDATE {schema}.jobs j
            SET state = 'active', attempt = j.attempt + 1, worker_id = p_worker,
                lease_expires_at = p_lease_expires_at, started_at = p_now,
                ready_at = pick_ready[array_position(pick_ids, j.id)]
            WHERE j.id = ANY(pick_ids)
            RETURNING j.*)
            SELECT * FROM leased;
          GET DIAGNOSTICS v_taken = ROW_COUNT;
        ELSE
          v_taken := 0;
        END IF;
      END IF;

      IF array_length(s_keys, 1) > 0 THEN
        INSERT INTO {schema}.queue_groups AS s (queue, group_key, tokens, refilled_at, served_turn, held_at)
        SELECT q.name, v.group_key, v.tokens, v.refilled_at, v.served_turn, v.held_at
        FROM unnest(s_keys, s_tokens, s_at, s_turn, s_held) AS v(group_key, tokens, refilled_at, served_turn, held_at)
        ON CONFLICT (queue, group_key) DO UPDATE SET
          tokens = excluded.tokens, refilled_at = excluded.refilled_at,
          served_turn = excluded.served_turn, held_at = excluded.held_at;
      END IF;
    END IF;

    -- The queue's bucket, turn and held time; written only when one changed.
    IF v_tokens IS NOT NULL OR v_turn <> q.turn OR (queue_bound AND jobs_left) THEN
      UPDATE {schema}.queues
      SET tokens = CASE WHEN v_tokens IS NULL THEN q.tokens ELSE v_tokens - v_taken END,
          refilled_at = CASE WHEN v_tokens IS NULL THEN q.refilled_at ELSE greatest(p_now, coalesce(q.refilled_at, p_now)) END,
          turn = v_turn,
          held_at = CASE WHEN queue_bound AND jobs_left THEN p_now ELSE q.held_at END
      WHERE name = q.name;
    END IF;
    left_over := left_over - v_taken;
  END LOOP;
END
$$;

-- Active jobs without a group are never counted per group: leaving them out
-- spares every claim and finish an index entry.
DROP INDEX {schema}.jobs_group_active;
CREATE INDEX jobs_group_active ON {schema}.jobs (queue, group_key) WHERE state = 'active' AND group_key IS NOT NULL;
