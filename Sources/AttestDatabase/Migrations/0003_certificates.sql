-- Completions, certificates, and the pipeline's entry point attest.submit_completion(jsonb).

CREATE TABLE attest.completions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the pipeline's idempotency key
    external_id text NOT NULL UNIQUE,
    learner_id text NOT NULL,
    learner_name text NOT NULL,
    course_id text NOT NULL,
    course_title text NOT NULL,
    organisation text NOT NULL,
    completed_at timestamptz NOT NULL,
    -- the date of completed_at in the offset the pipeline wrote it in: the date printed on the certificate
    completed_on date NOT NULL,
    score double precision CHECK (score BETWEEN 0 AND 1),
    template_id text,
    locale text NOT NULL DEFAULT 'en',
    program_id text,
    program_title text,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX completions_learner ON attest.completions (learner_id);

-- pending: the row reserves the id, code and printed values; issued once its file is stored.
CREATE TYPE attest.certificate_status AS ENUM ('pending', 'issued', 'revoked');

CREATE TABLE attest.certificates (
    id uuid PRIMARY KEY,
    completion_id uuid NOT NULL UNIQUE REFERENCES attest.completions (id),
    -- upper case; lookups upper-case their input
    verification_code text NOT NULL UNIQUE CHECK (verification_code = upper(verification_code)),
    learner_id text NOT NULL,
    -- exactly what was printed
    learner_name text NOT NULL,
    course_title text NOT NULL,
    organisation text NOT NULL,
    issued_on date NOT NULL,
    locale text NOT NULL,
    score double precision,
    program_title text,
    template_id text NOT NULL,
    template_version integer NOT NULL,
    status attest.certificate_status NOT NULL DEFAULT 'pending',
    revoked_at timestamptz,
    revocation_reason text,
    -- relative to the storage root; cleared when the file is purged
    document_path text,
    document_sha256 text,
    document_bytes bigint,
    document_purged_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    issued_at timestamptz,
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX certificates_learner ON attest.certificates (learner_id);

-- Invariant 2: what a certificate says never changes once issued. Revoking changes its status only; purging
-- clears its document columns only.
CREATE FUNCTION attest.certificates_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'pending' AND (
        NEW.id, NEW.completion_id, NEW.verification_code, NEW.learner_id, NEW.learner_name, NEW.course_title,
        NEW.organisation, NEW.issued_on, NEW.locale, NEW.score, NEW.program_title, NEW.template_id,
        NEW.template_version, NEW.created_at, NEW.issued_at
    ) IS DISTINCT FROM (
        OLD.id, OLD.completion_id, OLD.verification_code, OLD.learner_id, OLD.learner_name, OLD.course_title,
        OLD.organisation, OLD.issued_on, OLD.locale, OLD.score, OLD.program_title, OLD.template_id,
        OLD.template_version, OLD.created_at, OLD.issued_at
    ) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'an issued certificate cannot be changed; issue a new one';
    END IF;
    IF OLD.status = 'revoked' AND NEW.status <> 'revoked' THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = 'a revoked certificate stays revoked';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER certificates_immutable BEFORE UPDATE ON attest.certificates
    FOR EACH ROW EXECUTE FUNCTION attest.certificates_immutable();

-- Raises SQLSTATE 22023 naming the field.
CREATE FUNCTION attest.invalid_field(field text, problem text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = field || ': ' || problem, COLUMN = field;
END
$$;

-- A text field of a completion, trimmed and NFC-normalised, by the rules of AttestCore's CompletionRules.
CREATE FUNCTION attest.completion_text(document jsonb, field text, maximum integer, required boolean)
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    value text;
BEGIN
    IF NOT document ? field OR jsonb_typeof(document -> field) = 'null' THEN
        IF required THEN PERFORM attest.invalid_field(field, 'is required'); END IF;
        RETURN NULL;
    END IF;
    IF jsonb_typeof(document -> field) <> 'string' THEN
        PERFORM attest.invalid_field(field, 'must be a string, not ' || jsonb_typeof(document -> field));
    END IF;
    BEGIN
        value := document ->> field;
    EXCEPTION WHEN untranslatable_character OR character_not_in_repertoire THEN
        PERFORM attest.invalid_field(field, 'contains a control character');
    END;
    value := normalize(regexp_replace(value, '^[[:space:]]+|[[:space:]]+$', '', 'g'), NFC);
    IF value ~ '[\u0001-\u001f\u007f-\u009f\u2028\u2029\ufffd\ufdd0-\ufdef\ufffe\uffff]' THEN
        PERFORM attest.invalid_field(field, 'contains a control character or another character that cannot be printed');
    END IF;
    IF char_length(value) < 1 OR char_length(value) > maximum THEN
        PERFORM attest.invalid_field(field, 'must have 1 to ' || maximum || ' characters, not ' || char_length(value));
    END IF;
    RETURN value;
END
$$;

-- Validates a completion, inserts it and enqueues its rendering, in the caller's transaction. The same
-- external_id again returns the existing id and enqueues nothing (created = false).
CREATE FUNCTION attest.submit_completion_detailed(document jsonb, OUT completion_id uuid, OUT created boolean)
LANGUAGE plpgsql AS $$
<<submission>>
DECLARE
    external_id text;
    learner_id text;
    learner_name text;
    course_id text;
    course_title text;
    organisation text;
    completed_text text;
    completed_at timestamptz;
    score double precision;
    template_id text;
    locale text;
    program_id text;
    program_title text;
BEGIN
    IF document IS NULL OR jsonb_typeof(document) <> 'object' THEN
        PERFORM attest.invalid_field('$', 'must be a JSON object');
    END IF;
    external_id := attest.completion_text(document, 'external_id', 200, true);
    learner_id := attest.completion_text(document, 'learner_id', 200, true);
    learner_name := attest.completion_text(document, 'learner_name', 300, true);
    course_id := attest.completion_text(document, 'course_id', 200, true);
    course_title := attest.completion_text(document, 'course_title', 300, true);
    organisation := attest.completion_text(document, 'organisation', 300, true);
    program_id := attest.completion_text(document, 'program_id', 200, false);
    program_title := attest.completion_text(document, 'program_title', 300, false);

    completed_text := attest.completion_text(document, 'completed_at', 64, true);
    IF completed_text !~ '^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$' THEN
        PERFORM attest.invalid_field('completed_at', 'must be an RFC 3339 timestamp such as 2026-05-04T12:00:00Z');
    END IF;
    BEGIN
        completed_at := completed_text::timestamptz;
    EXCEPTION WHEN others THEN
        PERFORM attest.invalid_field('completed_at', 'is not a valid date and time');
    END;

    IF document ? 'score' AND jsonb_typeof(document -> 'score') <> 'null' THEN
        IF jsonb_typeof(document -> 'score') <> 'number' THEN
            PERFORM attest.invalid_field('score', 'must be a number from 0 to 1');
        END IF;
        -- Compared as numeric: 1e400 or 1e-400 would overflow a double precision cast (SQLSTATE 22003).
        IF (document -> 'score')::numeric < 0 OR (document -> 'score')::numeric > 1 THEN
            PERFORM attest.invalid_field('score', 'must be a number from 0 to 1');
        END IF;
        BEGIN
            score := (document ->> 'score')::double precision;
        EXCEPTION WHEN numeric_value_out_of_range THEN
            -- Between 0 and 1 but below double precision's range: as good as 0.
            score := 0;
        END;
    END IF;

    template_id := attest.completion_text(document, 'template', 64, false);
    IF template_id IS NOT NULL AND template_id !~ '^[a-z0-9][a-z0-9_-]{0,63}$' THEN
        PERFORM attest.invalid_field('template', 'must be a template id: lower-case letters, digits, - and _');
    END IF;
    locale := coalesce(attest.completion_text(document, 'locale', 35, false), 'en');
    IF locale !~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$' THEN
        PERFORM attest.invalid_field('locale', 'must be a BCP 47 language tag such as en, fr-CA or zh-Hant');
    END IF;

    INSERT INTO attest.completions AS c (
        external_id, learner_id, learner_name, course_id, course_title, organisation, completed_at, completed_on,
        score, template_id, locale, program_id, program_title
    ) VALUES (
        external_id, learner_id, learner_name, course_id, course_title, organisation, completed_at,
        substr(completed_text, 1, 10)::date, score, template_id, locale, program_id, program_title
    )
    ON CONFLICT ON CONSTRAINT completions_external_id_key DO NOTHING
    RETURNING c.id INTO completion_id;

    IF completion_id IS NULL THEN
        SELECT c.id INTO completion_id FROM attest.completions c WHERE c.external_id = submission.external_id;
        created := false;
        RETURN;
    END IF;
    INSERT INTO attest.jobs (kind, payload, unique_key)
    VALUES ('certificate.render', jsonb_build_object('completion_id', completion_id), 'certificate.render:' || completion_id);
    PERFORM pg_notify('attest_jobs', '');
    created := true;
END
$$;

-- The pipeline's entry point (CONTRACT.md): the completion's id; SQLSTATE 22023 naming the field when invalid.
CREATE FUNCTION attest.submit_completion(document jsonb) RETURNS uuid LANGUAGE sql AS $$
    SELECT completion_id FROM attest.submit_completion_detailed(document)
$$;
