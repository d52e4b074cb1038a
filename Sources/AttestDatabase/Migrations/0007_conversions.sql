-- Document conversions (attest convert --enqueue, the document.convert job kind): the source deck and its
-- PDF, both in storage, and what the conversion found.

CREATE TABLE attest.conversions (
    id uuid PRIMARY KEY,
    -- the file name the operator gave, for display only; LibreOffice never sees it
    source_name text NOT NULL,
    -- relative to the storage root
    source_path text NOT NULL,
    source_sha256 text NOT NULL,
    source_bytes bigint NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
    output_path text,
    output_sha256 text,
    output_bytes bigint,
    -- .ppt or .pptx, from the file's magic bytes
    format text,
    pages integer,
    slides integer,
    error text,
    duration_ms double precision,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CHECK ((state = 'succeeded') = (output_path IS NOT NULL)),
    CHECK ((state = 'failed') = (error IS NOT NULL))
);
CREATE INDEX conversions_created ON attest.conversions (created_at);
