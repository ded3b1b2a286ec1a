-- Notifications by email (issue 5) and @mentions in comments.

-- Each person chooses whether in-app notifications also come by email (on by default; the
-- install sends none unless SMTP is configured).
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;

-- A new kind, `comment.mentioned`, and when a notification's email went out (a job run
-- twice after a lost lease sends it once). SQLite cannot change a CHECK in place, so the
-- table is rebuilt; nothing references it.
CREATE TABLE notifications_new (
    id                BLOB PRIMARY KEY NOT NULL,
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('post.submitted', 'post.approved',
                          'post.changes_requested', 'post.scheduled', 'post.published',
                          'post.failed', 'channel.reconnect_needed', 'comment.mentioned')),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    -- A path inside Herald ("/w/{ws}/posts/{id}").
    link              TEXT NOT NULL DEFAULT '',
    created_at_ms     BIGINT NOT NULL,
    read_at_ms        BIGINT,
    emailed_at_ms     BIGINT
);
INSERT INTO notifications_new (id, user_id, workspace_id, kind, title, body, link,
                               created_at_ms, read_at_ms)
    SELECT id, user_id, workspace_id, kind, title, body, link, created_at_ms, read_at_ms
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, created_at_ms);
