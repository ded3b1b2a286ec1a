-- The publishing engine: when each variant goes out, every attempt to send it with the
-- network's answer, and the durable job queue the workers claim from.

-- What a person meant ("2026-03-29 09:00" in "Europe/Paris") is kept beside the instant
-- (DESIGN.md, "Data rules").
ALTER TABLE variants ADD COLUMN scheduled_at_ms BIGINT;
ALTER TABLE variants ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN local_time TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN published_at_ms BIGINT;
-- Why the last attempt failed, as the engine classified it (rate_limited, auth_expired,
-- rejected, transient, outcome_unknown, unsupported, missed...).
ALTER TABLE variants ADD COLUMN error_kind TEXT;
-- When the next automatic retry is due, while a variant is publishing.
ALTER TABLE variants ADD COLUMN retry_at_ms BIGINT;
ALTER TABLE variants ADD COLUMN attempt_count BIGINT NOT NULL DEFAULT 0;
-- Attempts since the variant was last scheduled: automatic retries stop at a limit, and a
-- person's "retry" starts the count again.
ALTER TABLE variants ADD COLUMN tries BIGINT NOT NULL DEFAULT 0;
-- When the first attempt began: with the variant's id it names Bluesky's records, so it
-- stays the same for every retry.
ALTER TABLE variants ADD COLUMN first_attempt_ms BIGINT;
-- Raised on every change a calendar reader should see (iCal SEQUENCE).
ALTER TABLE variants ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
CREATE INDEX variants_schedule ON variants (scheduled_at_ms);

-- How late a post may still go out after Herald was down at its time (default one hour).
ALTER TABLE workspaces ADD COLUMN grace_window_ms BIGINT NOT NULL DEFAULT 3600000;

-- One try to publish a variant. Written as 'sending' before the network call, so a crash
-- mid-call leaves a trace that the next run reconciles instead of sending again blindly.
CREATE TABLE attempts (
    id                UUID PRIMARY KEY NOT NULL,
    variant_id        UUID NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
    number            BIGINT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('sending', 'published', 'failed', 'retrying',
                          'outcome_unknown', 'reconciled')),
    worker            TEXT NOT NULL,
    started_at_ms     BIGINT NOT NULL,
    finished_at_ms    BIGINT,
    error_kind        TEXT,
    error             TEXT,
    -- The parts already on the network (JSON list of {id, url, cid}), so a retry of a thread
    -- continues after them instead of posting them twice.
    published         TEXT NOT NULL DEFAULT '[]',
    -- What the network answered (status and body of each exchange, bounded), as JSON.
    raw_answer        TEXT NOT NULL DEFAULT '[]',
    UNIQUE (variant_id, number)
);

-- The durable queue. A job is claimed by setting a lease; a worker whose lease ran out
-- cannot finish it (its updates name `locked_by`), and another takes it over.
CREATE TABLE jobs (
    id                UUID PRIMARY KEY NOT NULL,
    kind              TEXT NOT NULL,
    payload           TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_at_ms         BIGINT NOT NULL,
    tries             BIGINT NOT NULL DEFAULT 0,
    locked_by         TEXT,
    locked_until_ms   BIGINT,
    -- Periodic work is enqueued by every instance with a key naming its slot; the first wins.
    dedupe_key        TEXT,
    last_error        TEXT,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX jobs_due ON jobs (run_at_ms) WHERE state IN ('queued', 'running');
