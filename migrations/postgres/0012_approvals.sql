-- Approvals (PRODUCT.md, step 7): the workspace's policy, the approvals a post collected in
-- its current review round, comments, client review links, and an audit log of every
-- state change.

-- 1 or 2 approval steps when `requires_approval` (first the team, then the client).
ALTER TABLE workspaces ADD COLUMN approval_steps BIGINT NOT NULL DEFAULT 1
    CHECK (approval_steps IN (1, 2));
ALTER TABLE workspaces ADD COLUMN allow_small_fixes BOOLEAN NOT NULL DEFAULT FALSE;
-- Approvals given in the current round (back to 0 when changes are requested or the post
-- is edited), and how many the post needs (fixed when it was submitted).
ALTER TABLE posts ADD COLUMN approvals_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN approvals_needed BIGINT NOT NULL DEFAULT 0;

CREATE TABLE post_comments (
    id                UUID PRIMARY KEY NOT NULL,
    post_id           UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- NULL for a client writing through a review link (then `author_name` is what they gave).
    author_id         UUID REFERENCES users (id) ON DELETE SET NULL,
    author_name       TEXT NOT NULL,
    body              TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL
);
CREATE INDEX post_comments_post ON post_comments (post_id, created_at_ms);

-- Who changed what, when: every submit, approval, request for changes, schedule, cancel.
CREATE TABLE post_events (
    id                UUID PRIMARY KEY NOT NULL,
    post_id           UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id          UUID REFERENCES users (id) ON DELETE SET NULL,
    actor_name        TEXT NOT NULL,
    action            TEXT NOT NULL,
    from_state        TEXT NOT NULL,
    to_state          TEXT NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    at_ms             BIGINT NOT NULL
);
CREATE INDEX post_events_post ON post_events (post_id, at_ms);

-- A link a client without an account opens to review one post. Only a hash of its token is
-- kept; an optional password (argon2) guards it further.
CREATE TABLE review_links (
    id                UUID PRIMARY KEY NOT NULL,
    post_id           UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    token_hash        TEXT NOT NULL UNIQUE,
    password_hash     TEXT,
    created_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL,
    expires_at_ms     BIGINT NOT NULL,
    revoked_at_ms     BIGINT
);
