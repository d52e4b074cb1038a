-- Executions of the built-in `attest.probe` job kind: operators enqueue probes to check end to end that
-- workers claim and run jobs (and the test suite uses them to prove every job runs exactly once).
CREATE TABLE attest.probe_runs (
    job_id bigint NOT NULL,
    attempt integer NOT NULL,
    worker_id text NOT NULL,
    ran_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX probe_runs_job ON attest.probe_runs (job_id);
