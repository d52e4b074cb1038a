-- The job queue (AttestQueue). Claimed with FOR UPDATE SKIP LOCKED through a partial index over runnable
-- jobs only; finished jobs stay for inspection until `attest jobs prune` removes them.

CREATE TYPE attest.job_state AS ENUM (
    'available',   -- waiting for run_at, then claimable
    'running',     -- claimed by worker_id until leased_until
    'succeeded',
    'retryable',   -- failed an attempt; claimable again from run_at (the backoff)
    'discarded',   -- failed for good: max_attempts reached, or a permanent error
    'cancelled'
);

CREATE TABLE attest.jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    queue text NOT NULL DEFAULT 'default' CHECK (length(queue) BETWEEN 1 AND 100),
    -- references only (ids, paths), never file bytes
    payload jsonb NOT NULL DEFAULT '{}' CHECK (pg_column_size(payload) <= 65536),
    -- lower runs first
    priority smallint NOT NULL DEFAULT 0,
    state attest.job_state NOT NULL DEFAULT 'available',
    attempt integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 10 CHECK (max_attempts > 0),
    run_at timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    worker_id text,
    -- one object per failed attempt: {"attempt", "at", "kind", "message"}
    errors jsonb NOT NULL DEFAULT '[]',
    unique_key text,
    cancel_requested boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempted_at timestamptz,
    finished_at timestamptz
);

-- The claim reads only runnable rows, in the order it takes them.
CREATE INDEX jobs_runnable ON attest.jobs (queue, priority, run_at, id)
    WHERE state IN ('available', 'retryable');

-- The rescuer looks only at running jobs.
CREATE INDEX jobs_running_lease ON attest.jobs (leased_until) WHERE state = 'running';

-- Pruning looks only at finished jobs.
CREATE INDEX jobs_finished ON attest.jobs (finished_at) WHERE state IN ('succeeded', 'discarded', 'cancelled');

-- A unique key holds while the job is not finished.
CREATE UNIQUE INDEX jobs_unique_key ON attest.jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('available', 'running', 'retryable');

-- A queue table churns: vacuum it early and often, and leave room on each page for updated rows.
ALTER TABLE attest.jobs SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.05,
    autovacuum_vacuum_cost_delay = 0
);
