-- The media library: pictures and videos of a workspace. The bytes live in the blob store
-- (`blob_key`, under the data folder by default); rows keep what the rules need.
CREATE TABLE media (
    id                UUID PRIMARY KEY NOT NULL,
    workspace_id      UUID NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    format            TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'gif', 'mp4', 'mov')),
    bytes             BIGINT NOT NULL,
    width             INTEGER NOT NULL,
    height            INTEGER NOT NULL,
    duration_ms       BIGINT,
    frames            INTEGER,
    alt_text          TEXT NOT NULL DEFAULT '',
    focal_x           DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    focal_y           DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    sha256            TEXT NOT NULL,
    blob_key          TEXT NOT NULL,
    thumb_key         TEXT,
    created_by        UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at_ms     BIGINT NOT NULL,
    updated_at_ms     BIGINT NOT NULL
);
CREATE INDEX media_workspace ON media (workspace_id, created_at_ms);
CREATE INDEX media_sha ON media (workspace_id, sha256);

CREATE TABLE media_tags (
    media_id          UUID NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    tag_id            UUID NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (media_id, tag_id)
);

-- Derived files made when needed (a crop to a network's aspect ratio), kept until the
-- focal point changes.
CREATE TABLE media_renditions (
    media_id          UUID NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    purpose           TEXT NOT NULL,
    blob_key          TEXT NOT NULL,
    width             INTEGER NOT NULL,
    height            INTEGER NOT NULL,
    PRIMARY KEY (media_id, purpose)
);

-- A post's pictures or video, in order; every variant shows them, cropped per network.
-- RESTRICT: a media item in use cannot vanish from under a post.
CREATE TABLE post_media (
    post_id           UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id          UUID NOT NULL REFERENCES media (id) ON DELETE RESTRICT,
    position          INTEGER NOT NULL,
    PRIMARY KEY (post_id, position)
);
CREATE INDEX post_media_media ON post_media (media_id);

ALTER TABLE workspaces ADD COLUMN require_alt_text BOOLEAN NOT NULL DEFAULT FALSE;

-- Third-party content: the original's link and its author's handle per network, as JSON.
ALTER TABLE posts ADD COLUMN credit JSONB NOT NULL DEFAULT '{}';

-- The brand kit behind the profile images, and the review status of the generated set.
CREATE TABLE brand_kits (
    workspace_id      UUID PRIMARY KEY NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    logo_media_id     UUID REFERENCES media (id) ON DELETE SET NULL,
    cover_media_id    UUID REFERENCES media (id) ON DELETE SET NULL,
    colors            TEXT NOT NULL DEFAULT '',
    review_status     TEXT NOT NULL DEFAULT 'draft'
                      CHECK (review_status IN ('draft', 'in_review', 'changes_requested', 'approved')),
    review_note       TEXT NOT NULL DEFAULT '',
    reviewed_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    updated_at_ms     BIGINT NOT NULL
);
