-- Notifications: in the app, per person, and outbound webhooks per workspace with a log of
-- every delivery.

-- What happened, for one person. Read ones stay until the workspace or person goes.
CREATE TABLE notifications (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('post.submitted', 'post.approved',
                          'post.changes_requested', 'post.scheduled', 'post.published',
                          'post.failed', 'channel.reconnect_needed')),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    -- A path inside Herald ("/w/{ws}/posts/{id}").
    link              TEXT NOT NULL DEFAULT '',
    created_at_ms     BIGINT NOT NULL,
    read_at_ms        BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at_ms);

-- Where a workspace's events are posted. The signing secret is Herald's, shown once, kept
-- encrypted (AAD names the webhook).
CREATE TABLE webhooks (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url               TEXT NOT NULL,
    -- Space-separated event names.
    events            TEXT NOT NULL,
    secret            TEXT NOT NULL,
    created_by        BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id);

-- One event sent to one webhook: the payload is fixed when the event happens, so every try
-- sends the same bytes (with a fresh timestamp and signature).
CREATE TABLE webhook_deliveries (
    id                BLOB PRIMARY KEY NOT NULL,
    webhook_id        BLOB NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event             TEXT NOT NULL,
    payload           TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'retrying', 'delivered', 'failed')),
    attempts          BIGINT NOT NULL DEFAULT 0,
    response_status   BIGINT,
    -- The first 2 KB of the receiver's answer.
    response_body     TEXT NOT NULL DEFAULT '',
    error             TEXT,
    next_try_at_ms    BIGINT,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at_ms);
