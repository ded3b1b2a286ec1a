-- Channels (records of a workspace; connecting them to networks comes with the connectors),
-- posts and their per-channel variants, tags and campaigns.

CREATE TABLE channels (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    network           TEXT NOT NULL CHECK (network IN ('x', 'mastodon', 'bluesky', 'threads', 'linkedin', 'instagram', 'facebook')),
    handle            TEXT NOT NULL,
    display_name      TEXT NOT NULL DEFAULT '',
    -- A Mastodon instance or Bluesky PDS; empty for the networks with one fixed host.
    service_url       TEXT NOT NULL DEFAULT '',
    -- Mastodon instances set their own post length and link weight.
    max_characters    BIGINT,
    chars_per_url     BIGINT,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE INDEX channels_workspace ON channels (workspace_id);

CREATE TABLE tags (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('tag', 'campaign')),
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    color             TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    UNIQUE (workspace_id, kind, name_key)
);

CREATE TABLE posts (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    author_id         BLOB NOT NULL REFERENCES users (id),
    assignee_id       BLOB REFERENCES users (id) ON DELETE SET NULL,
    campaign_id       BLOB REFERENCES tags (id) ON DELETE SET NULL,
    text              TEXT NOT NULL,
    notes             TEXT NOT NULL DEFAULT '',
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE INDEX posts_workspace ON posts (workspace_id, updated_at_ms);

CREATE TABLE post_tags (
    post_id           BLOB NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id            BLOB NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);

CREATE TABLE variants (
    id                BLOB PRIMARY KEY NOT NULL,
    post_id           BLOB NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    channel_id        BLOB NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    state             TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved', 'scheduled',
                          'publishing', 'published', 'failed', 'outcome_unknown', 'cancelled')),
    -- Until detached, a variant follows the post's text; detached, it keeps its own parts.
    detached          BOOLEAN NOT NULL DEFAULT FALSE,
    -- The text of each part of a thread (one element for a single post), as JSON.
    parts             TEXT NOT NULL,
    first_comment     TEXT NOT NULL DEFAULT '',
    -- Per-network options (visibility, language, reply settings, format...), as JSON.
    options           TEXT NOT NULL,
    remote_id         TEXT,
    remote_url        TEXT,
    error             TEXT,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL,
    UNIQUE (post_id, channel_id)
);
CREATE INDEX variants_channel ON variants (channel_id);
