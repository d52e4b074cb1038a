-- Program records: the program catalog (programs and their ordered courses) and the share links of records.
-- A record itself is computed from the catalog and the learner's certificates, never stored.

CREATE TABLE attest.programs (
    id text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 200),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    organisation text NOT NULL CHECK (char_length(organisation) BETWEEN 1 AND 300),
    -- such as "Professional Certificate" or "MicroMasters"; NULL when the catalog names none
    type text CHECK (char_length(type) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A program's courses in catalog order; an import replaces a program's whole list.
CREATE TABLE attest.program_courses (
    program_id text NOT NULL REFERENCES attest.programs (id) ON DELETE CASCADE,
    -- 1-based
    position integer NOT NULL CHECK (position >= 1),
    -- matches attest.completions.course_id
    course_id text NOT NULL CHECK (char_length(course_id) BETWEEN 1 AND 200),
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
    PRIMARY KEY (program_id, position),
    UNIQUE (program_id, course_id)
);
CREATE INDEX program_courses_course ON attest.program_courses (course_id);

-- Share links of program records, and their audit: a revoked share keeps its row, with who revoked it and when.
CREATE TABLE attest.record_shares (
    -- upper case, ≥128 random bits (AttestCore's ShareToken); lookups upper-case their input
    token text PRIMARY KEY CHECK (token = upper(token)),
    learner_id text NOT NULL CHECK (char_length(learner_id) BETWEEN 1 AND 200),
    program_id text NOT NULL REFERENCES attest.programs (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- such as "operator:alice" or "api"
    created_by text NOT NULL CHECK (char_length(created_by) BETWEEN 1 AND 200),
    revoked_at timestamptz,
    revoked_by text CHECK (char_length(revoked_by) BETWEEN 1 AND 200),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- At most one active share per learner and program: sharing again returns it.
CREATE UNIQUE INDEX record_shares_active ON attest.record_shares (learner_id, program_id) WHERE revoked_at IS NULL;
CREATE INDEX record_shares_learner ON attest.record_shares (learner_id);

-- The audit stays true: a share's identity never changes, and a revoked share stays revoked.
CREATE FUNCTION attest.record_shares_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.token, NEW.learner_id, NEW.program_id, NEW.created_at, NEW.created_by)
        IS DISTINCT FROM (OLD.token, OLD.learner_id, OLD.program_id, OLD.created_at, OLD.created_by) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'a record share cannot be changed, only revoked';
    END IF;
    IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at, NEW.revoked_by) IS DISTINCT FROM (OLD.revoked_at, OLD.revoked_by)
    THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'a revoked record share stays revoked';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER record_shares_audit BEFORE UPDATE ON attest.record_shares
    FOR EACH ROW EXECUTE FUNCTION attest.record_shares_audit();

-- The record computation joins a learner's certificates to their completions' courses.
CREATE INDEX completions_learner_course ON attest.completions (learner_id, course_id);
