-- Posting queues: each channel's weekly slots in its own zone (kept as people wrote them,
-- "mon 09:00", so they survive daylight-saving changes), and the workspace's optional
-- minimum gap between two posts on one channel.

ALTER TABLE channels ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN posting_slots TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN min_gap_ms BIGINT;
-- Whether a variant took its time from the channel's queue (then "share next" may move it
-- one slot later) or a person chose the time (never moved).
ALTER TABLE variants ADD COLUMN queued BOOLEAN NOT NULL DEFAULT FALSE;
