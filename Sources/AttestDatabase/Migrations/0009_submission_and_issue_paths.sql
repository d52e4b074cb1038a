-- attest.submit_completion reads completed_at by AttestCore's rules, without subtransactions; issuing a pending
-- certificate no longer runs the immutability trigger.
--
-- 1. completed_at was read by PostgreSQL's timestamptz cast, which accepted an hour of 24 and refused a leap second
--    with a fraction and offsets past ±15:59, where AttestCore's Timestamp does the opposite. It is now checked
--    field by field by Timestamp's rules: a real day of the years 1–9999, hour 0–23, minute 0–59, second 0–60 (60
--    is a leap second), offset up to ±23:59.
-- 2. No EXCEPTION blocks: each opened a subtransaction whenever it ran: one per field. The text fields'
--    could never fire (jsonb refuses \u0000 when it is parsed, so ->> cannot fail); the timestamp no longer needs
--    one; a score too small for double precision is 0 without a cast that fails. (Measured, a submission costs
--    about the same either way: the plpgsql calls themselves dominate.)
-- 3. certificates_immutable fires only for rows that are no longer pending: both of its checks need
--    OLD.status <> 'pending', so issuing a certificate (once per certificate) skipped them anyway.

CREATE OR REPLACE FUNCTION attest.completion_text(document jsonb, field text, maximum integer, required boolean)
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
    value := normalize(regexp_replace(document ->> field, '^[[:space:]]+|[[:space:]]+$', '', 'g'), NFC);
    IF value ~ '[\u0001-\u001f\u007f-\u009f\u2028\u2029\ufffd\ufdd0-\ufdef\ufffe\uffff]' THEN
        PERFORM attest.invalid_field(field, 'contains a control character or another character that cannot be printed');
    END IF;
    IF char_length(value) < 1 OR char_length(value) > maximum THEN
        PERFORM attest.invalid_field(field, 'must have 1 to ' || maximum || ' characters, not ' || char_length(value));
    END IF;
    RETURN value;
END
$$;

-- An RFC 3339 timestamp as AttestCore's Timestamp reads it, or an invalid_field error naming `field`. The shape is
-- checked by a regular expression without captures (capturing groups make PostgreSQL's matcher a hundred times
-- slower), the fields are then read at their fixed positions.
CREATE FUNCTION attest.rfc3339_timestamp(field text, value text) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    year integer;
    month integer;
    day integer;
    hour integer;
    minute integer;
    seconds numeric;
    offset_sign integer := 1;
    offset_hours integer := 0;
    offset_minutes integer := 0;
BEGIN
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$' THEN
        PERFORM attest.invalid_field(field, 'must be an RFC 3339 timestamp such as 2026-05-04T12:00:00Z');
    END IF;
    year := substr(value, 1, 4)::integer;
    month := substr(value, 6, 2)::integer;
    day := substr(value, 9, 2)::integer;
    hour := substr(value, 12, 2)::integer;
    minute := substr(value, 15, 2)::integer;
    IF right(value, 1) IN ('Z', 'z') THEN
        seconds := substr(value, 18, length(value) - 18)::numeric;
    ELSE
        seconds := substr(value, 18, length(value) - 23)::numeric;
        IF substr(value, length(value) - 5, 1) = '-' THEN offset_sign := -1; END IF;
        offset_hours := substr(value, length(value) - 4, 2)::integer;
        offset_minutes := right(value, 2)::integer;
    END IF;
    IF year < 1 OR month NOT BETWEEN 1 AND 12 OR day < 1
        OR day > extract(day FROM make_date(year, month, 1) + interval '1 month - 1 day')
        OR hour > 23 OR minute > 59 OR seconds >= 61 OR offset_hours > 23 OR offset_minutes > 59
    THEN
        PERFORM attest.invalid_field(field, 'is not a valid date and time');
    END IF;
    RETURN (make_timestamp(year, month, day, hour, minute, 0) + seconds * interval '1 second') AT TIME ZONE 'UTC'
        - offset_sign * (offset_hours * 60 + offset_minutes) * interval '1 minute';
END
$$;

CREATE OR REPLACE FUNCTION attest.submit_completion_detailed(document jsonb, OUT completion_id uuid, OUT created boolean)
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
    score_value numeric;
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
    completed_at := attest.rfc3339_timestamp('completed_at', completed_text);

    IF document ? 'score' AND jsonb_typeof(document -> 'score') <> 'null' THEN
        IF jsonb_typeof(document -> 'score') <> 'number' THEN
            PERFORM attest.invalid_field('score', 'must be a number from 0 to 1');
        END IF;
        -- Compared as numeric: 1e400 or 1e-400 would overflow a double precision cast (SQLSTATE 22003).
        score_value := (document -> 'score')::numeric;
        IF score_value < 0 OR score_value > 1 THEN
            PERFORM attest.invalid_field('score', 'must be a number from 0 to 1');
        END IF;
        -- Between 0 and 1 but below double precision's range (the cast would fail): as good as 0.
        score := CASE WHEN score_value < 1e-320 THEN 0 ELSE score_value::double precision END;
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

DROP TRIGGER certificates_immutable ON attest.certificates;
CREATE TRIGGER certificates_immutable BEFORE UPDATE ON attest.certificates
    FOR EACH ROW WHEN (OLD.status <> 'pending') EXECUTE FUNCTION attest.certificates_immutable();
