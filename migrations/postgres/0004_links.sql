-- Short links on the install's public URL (/l/{code}), one per link of a variant, and the
-- visits to them (bots flagged, so they are not counted as clicks).
CREATE TABLE short_links (
    id                UUID PRIMARY KEY NOT NULL,
    workspace_id      UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    code              TEXT NOT NULL UNIQUE,
    target_url        TEXT NOT NULL,
    post_id           UUID REFERENCES posts (id) ON DELETE SET NULL,
    variant_id        UUID REFERENCES variants (id) ON DELETE SET NULL,
    network           TEXT NOT NULL,
    created_at_ms     BIGINT NOT NULL
);
CREATE INDEX short_links_workspace ON short_links (workspace_id);
CREATE INDEX short_links_variant ON short_links (variant_id);

CREATE TABLE link_visits (
    id                UUID PRIMARY KEY NOT NULL,
    link_id           UUID NOT NULL REFERENCES short_links (id) ON DELETE CASCADE,
    at_ms             BIGINT NOT NULL,
    is_bot            BOOLEAN NOT NULL
);
CREATE INDEX link_visits_link ON link_visits (link_id, at_ms);
