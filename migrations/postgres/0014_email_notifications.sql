-- Notifications by email (issue 5) and @mentions in comments.

-- Each person chooses whether in-app notifications also come by email (on by default; the
-- install sends none unless SMTP is configured).
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;

-- A new kind, `comment.mentioned`, and when a notification's email went out (a job run
-- twice after a lost lease sends it once).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('post.submitted', 'post.approved', 'post.changes_requested',
                    'post.scheduled', 'post.published', 'post.failed',
                    'channel.reconnect_needed', 'comment.mentioned'));
ALTER TABLE notifications ADD COLUMN emailed_at_ms BIGINT;
