-- The audit trail of `attest purge-pdfs`: who purged which certificates' files, when, and what happened to each.
-- A dry run writes nothing here.

-- running until the command finishes; interrupted when a later run finds it still running (the process died).
CREATE TYPE attest.purge_run_state AS ENUM ('running', 'succeeded', 'failed', 'interrupted');

CREATE TABLE attest.purge_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    state attest.purge_run_state NOT NULL DEFAULT 'running',
    -- who ran it: the operating-system account, and the name given with --operator
    os_user text NOT NULL,
    operator text,
    host text NOT NULL,
    process_id integer NOT NULL,
    -- the command line after `attest`
    arguments text[] NOT NULL,
    -- the selection as read (learner ids from --learner or --learners-file, or the --certificate codes)
    learner_ids text[] NOT NULL DEFAULT '{}',
    certificate_codes text[] NOT NULL DEFAULT '{}',
    -- learner ids without any certificate, and codes of no certificate
    not_found text[] NOT NULL DEFAULT '{}',
    -- counted from purge_items when the run finishes (or is found interrupted)
    certificates_selected integer NOT NULL DEFAULT 0,
    certificates_purged integer NOT NULL DEFAULT 0,
    files_deleted integer NOT NULL DEFAULT 0,
    files_missing integer NOT NULL DEFAULT 0,
    bytes_freed bigint NOT NULL DEFAULT 0,
    already_purged integer NOT NULL DEFAULT 0,
    errors integer NOT NULL DEFAULT 0,
    CHECK ((state = 'running') = (finished_at IS NULL))
);

-- intent: recorded before the file is touched; every other outcome is final.
-- deleted: the file was deleted and the certificate's link cleared.
-- missing_file: there was no file (already gone); the link was cleared.
-- refused_outside_root: the row's path leaves the storage root; nothing was deleted and the row is unchanged.
-- refused_hash_mismatch: the file's SHA-256 is not the certificate's (the row may name another certificate's file);
--     nothing was deleted and the row is unchanged.
-- already_purged: an earlier run purged it; nothing to do.
-- pending: the certificate is still being rendered; nothing was done, run again once it is issued.
-- error: deleting or clearing failed (message says why); the row keeps its link, run again.
-- interrupted: the run died after recording the intent; a later run finishes the certificate.
CREATE TYPE attest.purge_outcome AS ENUM (
    'intent', 'deleted', 'missing_file', 'refused_outside_root', 'refused_hash_mismatch', 'already_purged', 'pending',
    'error', 'interrupted'
);

CREATE TABLE attest.purge_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id bigint NOT NULL REFERENCES attest.purge_runs (id),
    certificate_id uuid NOT NULL REFERENCES attest.certificates (id),
    -- the file as the certificate row named it (relative to the storage root), and its recorded size
    file_path text,
    file_bytes bigint,
    outcome attest.purge_outcome NOT NULL DEFAULT 'intent',
    message text,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK ((outcome IN ('intent', 'interrupted')) = (finished_at IS NULL))
);
CREATE INDEX purge_items_run ON attest.purge_items (run_id, id);
CREATE INDEX purge_items_certificate ON attest.purge_items (certificate_id);
CREATE INDEX purge_items_unfinished ON attest.purge_items (run_id) WHERE outcome = 'intent';

-- A purged certificate points at no file.
ALTER TABLE attest.certificates
    ADD CONSTRAINT certificates_purged_without_document CHECK (document_purged_at IS NULL OR document_path IS NULL);
