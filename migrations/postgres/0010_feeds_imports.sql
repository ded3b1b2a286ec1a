-- The workspace's calendar: a secret-keyed iCalendar feed for calendar apps, and the events
-- and holidays people add by hand or import from .ics files.

-- One feed key per workspace. Only a SHA-256 digest of the key is kept (the URL is shown
-- once); rotating replaces the row, revoking deletes it.
CREATE TABLE calendar_feeds (
    workspace_id      UUID PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    key_hash          TEXT NOT NULL UNIQUE,
    -- The key's first characters, so people can tell which URL is live.
    key_prefix        TEXT NOT NULL,
    created_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL
);

-- Events and holidays shown on the calendar beside the posts. All-day events run from
-- local midnight to local midnight in the workspace's zone. `uid` is the iCalendar UID of
-- an imported event: importing a file again replaces the events it gave before.
CREATE TABLE calendar_events (
    id                UUID PRIMARY KEY NOT NULL,
    workspace_id      UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    starts_at_ms      BIGINT NOT NULL,
    ends_at_ms        BIGINT NOT NULL,
    all_day           BOOLEAN NOT NULL DEFAULT FALSE,
    source            TEXT NOT NULL CHECK (source IN ('manual', 'ics')),
    uid               TEXT,
    created_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL,
    CHECK (ends_at_ms >= starts_at_ms)
);
CREATE INDEX calendar_events_range ON calendar_events (workspace_id, starts_at_ms);
CREATE INDEX calendar_events_uid ON calendar_events (workspace_id, uid);
