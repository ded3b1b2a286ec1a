-- Channels connected to the networks: the account behind each, its credentials (encrypted
-- with the install's SecretBox, bound to the row), its health, and the OAuth bookkeeping.

ALTER TABLE channels ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN avatar_url TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN profile_url TEXT NOT NULL DEFAULT '';
-- NULL: a record only (not connected, or disconnected: the channel keeps its posts).
ALTER TABLE channels ADD COLUMN credentials TEXT;
ALTER TABLE channels ADD COLUMN token_expires_at_ms BIGINT;
-- Whether Herald can renew the token itself (a refresh token, or a stored app password):
-- then an expiry ahead is routine, not a reason to reconnect.
ALTER TABLE channels ADD COLUMN token_refreshable BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE channels ADD COLUMN health TEXT NOT NULL DEFAULT 'not_connected'
    CHECK (health IN ('not_connected', 'ok', 'reconnect_needed', 'rate_limited', 'disconnected'));
ALTER TABLE channels ADD COLUMN health_message TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN rate_limited_until_ms BIGINT;
ALTER TABLE channels ADD COLUMN followers BIGINT;
ALTER TABLE channels ADD COLUMN following BIGINT;
ALTER TABLE channels ADD COLUMN posts_count BIGINT;
ALTER TABLE channels ADD COLUMN max_media BIGINT;
ALTER TABLE channels ADD COLUMN connected_at_ms BIGINT;
ALTER TABLE channels ADD COLUMN checked_at_ms BIGINT;
-- Connecting the same account again reconnects its channel in place.
CREATE UNIQUE INDEX channels_account ON channels (workspace_id, network, service_url, remote_id)
    WHERE remote_id <> '';

-- Herald's app registration on a Mastodon instance (POST /api/v1/apps), kept per host and
-- redirect address so each instance is registered once.
CREATE TABLE oauth_apps (
    id                BLOB PRIMARY KEY NOT NULL,
    network           TEXT NOT NULL,
    host              TEXT NOT NULL,
    redirect_uri      TEXT NOT NULL,
    client_id         TEXT NOT NULL,
    client_secret     TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    UNIQUE (network, host, redirect_uri)
);

-- The install's app credentials for the networks with one host (X, Facebook and Instagram,
-- LinkedIn, Threads), entered by an instance admin.
CREATE TABLE network_apps (
    network           TEXT PRIMARY KEY NOT NULL,
    client_id         TEXT NOT NULL,
    client_secret     TEXT NOT NULL,
    updated_by        BLOB REFERENCES users (id) ON DELETE SET NULL,
    updated_at_ms     BIGINT NOT NULL
);

-- An OAuth authorization in progress: the state sent to the network (stored hashed), the
-- PKCE verifier (encrypted) and who started it. Single use, short-lived.
CREATE TABLE oauth_flows (
    state_hash        TEXT PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network           TEXT NOT NULL,
    service_url       TEXT NOT NULL,
    code_verifier     TEXT NOT NULL,
    -- Reconnecting a channel in place.
    channel_id        BLOB REFERENCES channels (id) ON DELETE CASCADE,
    created_at_ms     BIGINT NOT NULL,
    expires_at_ms     BIGINT NOT NULL
);
