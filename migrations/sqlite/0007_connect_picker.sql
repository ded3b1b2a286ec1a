-- Connecting networks where one sign-in grants several accounts (Facebook pages, Instagram
-- accounts, LinkedIn organisations): the accounts the network listed wait here, encrypted,
-- until the person who signed in picks which to connect. Short-lived and single use.

-- Which sign-in a flow went through (Instagram: `facebook` or `instagram`); empty for
-- networks with one.
ALTER TABLE oauth_flows ADD COLUMN login TEXT NOT NULL DEFAULT '';

CREATE TABLE connect_grants (
    id                BLOB PRIMARY KEY NOT NULL,
    workspace_id      BLOB NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id           BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    network           TEXT NOT NULL,
    login             TEXT NOT NULL DEFAULT '',
    -- The listed accounts with their tokens, as JSON encrypted with the install's SecretBox
    -- and bound to this row.
    accounts          TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    expires_at_ms     BIGINT NOT NULL
);
CREATE INDEX connect_grants_expiry ON connect_grants (expires_at_ms);
