-- Accounts, sessions, workspaces, members, invites and API tokens.
-- Instants are epoch milliseconds computed in Rust (see DESIGN.md, "Data rules").

CREATE TABLE users (
    id              UUID PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    is_admin        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ms   BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL
);

CREATE TABLE sessions (
    id                UUID PRIMARY KEY NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token        TEXT NOT NULL,
    user_agent        TEXT NOT NULL,
    ip                TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    last_seen_at_ms   BIGINT NOT NULL,
    expires_at_ms     BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id              UUID PRIMARY KEY NOT NULL,
    throttle_key    TEXT NOT NULL,
    at_ms           BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (throttle_key, at_ms);

CREATE TABLE workspaces (
    id                  UUID PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL,
    time_zone           TEXT NOT NULL,
    requires_approval   BOOLEAN NOT NULL DEFAULT FALSE,
    brand_voice         TEXT NOT NULL DEFAULT '',
    words_to_avoid      TEXT NOT NULL DEFAULT '',
    hashtags            TEXT NOT NULL DEFAULT '',
    audience_notes      TEXT NOT NULL DEFAULT '',
    goals               TEXT NOT NULL DEFAULT '',
    archived_at_ms      BIGINT,
    created_at_ms       BIGINT NOT NULL,
    updated_at_ms       BIGINT NOT NULL
);

CREATE TABLE memberships (
    workspace_id    UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id         UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'editor', 'contributor', 'client', 'viewer')),
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invites (
    id                UUID PRIMARY KEY NOT NULL,
    workspace_id      UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    token_hash        TEXT NOT NULL UNIQUE,
    role              TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'editor', 'contributor', 'client', 'viewer')),
    note              TEXT NOT NULL DEFAULT '',
    created_by        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at_ms     BIGINT NOT NULL,
    expires_at_ms     BIGINT NOT NULL,
    accepted_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    accepted_at_ms    BIGINT,
    revoked_at_ms     BIGINT
);
CREATE INDEX invites_workspace ON invites (workspace_id);

CREATE TABLE api_tokens (
    id                UUID PRIMARY KEY NOT NULL,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    token_prefix      TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    last_used_at_ms   BIGINT,
    revoked_at_ms     BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row, written with the first account: two people racing through the setup page cannot
-- both become the first admin (the second insert hits the primary key).
CREATE TABLE instance_setup (
    singleton       BIGINT PRIMARY KEY NOT NULL CHECK (singleton = 1),
    first_user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at_ms           BIGINT NOT NULL
);
