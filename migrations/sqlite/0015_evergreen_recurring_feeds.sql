-- Periodic work (evergreen recycling, recurring posts, feed polling) runs from jobs whose
-- dedupe key names their period's slot (`evergreen:{slot_ms}`); these tables hold what that
-- work reads and writes.

-- The evergreen library: posts marked evergreen, recycled into their channels' empty
-- posting slots. `added_by` is who put the post there: its copies are scheduled as that
-- person, under the workspace's usual rules (approval included).
CREATE TABLE evergreen_posts (
    post_id           BLOB PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    added_by          BLOB REFERENCES users (id) ON DELETE SET NULL,
    added_at_ms       BIGINT NOT NULL
);
CREATE INDEX evergreen_posts_workspace ON evergreen_posts (workspace_id);

-- The library's rules; no row: recycling is off.
CREATE TABLE evergreen_settings (
    workspace_id      BLOB PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL DEFAULT FALSE,
    -- The least time between two re-shares of one post on one channel.
    min_interval_ms   BIGINT NOT NULL,
    -- A post published on the channel this recently (by hand or recycled) waits.
    skip_recent_ms    BIGINT NOT NULL,
    -- What the last pass did, or why it did nothing, for people.
    last_note         TEXT NOT NULL DEFAULT '',
    last_run_at_ms    BIGINT,
    updated_at_ms     BIGINT NOT NULL
);

-- A post made from another one by periodic work: an evergreen re-share (for one channel)
-- or an occurrence of a recurring post. The copy is an ordinary post with its own variants.
CREATE TABLE post_copies (
    copy_post_id      BLOB PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    source_post_id    BLOB NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    reason            TEXT NOT NULL CHECK (reason IN ('evergreen', 'recurrence')),
    channel_id        BLOB REFERENCES channels (id) ON DELETE CASCADE,
    -- The slot or occurrence it was made for.
    for_at_ms         BIGINT NOT NULL,
    created_at_ms     BIGINT NOT NULL
);
CREATE INDEX post_copies_source ON post_copies (source_post_id, reason, for_at_ms);
CREATE INDEX post_copies_channel ON post_copies (channel_id, reason);
-- One occurrence of a series per instant, whoever makes it.
CREATE UNIQUE INDEX post_copies_occurrence ON post_copies (source_post_id, for_at_ms)
    WHERE reason = 'recurrence';

-- A recurring post: the post is the template; each occurrence is a copy scheduled at its
-- time. The rule is kept as text in the zone (what the person meant), so 09:00 stays 09:00
-- across daylight-saving changes.
CREATE TABLE post_recurrences (
    post_id           BLOB PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    rule              TEXT NOT NULL,
    time_zone         TEXT NOT NULL,
    -- The last local date an occurrence may fall on (inclusive), as YYYY-MM-DD.
    until_date        TEXT,
    max_count         BIGINT,
    made_count        BIGINT NOT NULL DEFAULT 0,
    -- The next occurrence to make; NULL once the series has ended.
    next_at_ms        BIGINT,
    state             TEXT NOT NULL CHECK (state IN ('active', 'ended', 'cancelled')),
    created_by        BLOB REFERENCES users (id) ON DELETE SET NULL,
    last_note         TEXT NOT NULL DEFAULT '',
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE INDEX post_recurrences_due ON post_recurrences (next_at_ms) WHERE state = 'active';

-- RSS and Atom feeds polled into drafts or the channels' queues.
CREATE TABLE feeds (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url               TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    mode              TEXT NOT NULL CHECK (mode IN ('drafts', 'queue')),
    -- How many of the newest items the first poll imports (the rest are only remembered).
    first_poll_items  BIGINT NOT NULL,
    poll_interval_ms  BIGINT NOT NULL,
    -- Conditional GET: what the server said last time.
    etag              TEXT,
    last_modified     TEXT,
    status            TEXT NOT NULL CHECK (status IN ('new', 'ok', 'error')),
    last_error        TEXT,
    last_polled_at_ms BIGINT,
    next_poll_at_ms   BIGINT NOT NULL,
    items_imported    BIGINT NOT NULL DEFAULT 0,
    created_by        BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL,
    UNIQUE (workspace_id, url)
);
CREATE INDEX feeds_due ON feeds (next_poll_at_ms);

CREATE TABLE feed_channels (
    feed_id           BLOB NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    channel_id        BLOB NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    PRIMARY KEY (feed_id, channel_id)
);

-- Items already seen, by "guid:..." and "link:...": an item is new when none of its keys
-- is here, so a GUID that changed while the link stayed is not imported twice.
CREATE TABLE feed_items (
    feed_id           BLOB NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    item_key          TEXT NOT NULL,
    post_id           BLOB REFERENCES posts (id) ON DELETE SET NULL,
    seen_at_ms        BIGINT NOT NULL,
    PRIMARY KEY (feed_id, item_key)
);
