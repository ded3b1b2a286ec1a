-- The "no hard sell" score of each post (0-100), kept so the calendar can show the content
-- mix, and each workspace's target share of promotional posts.
ALTER TABLE posts ADD COLUMN promo_score BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN promo_target_percent BIGINT NOT NULL DEFAULT 20;
