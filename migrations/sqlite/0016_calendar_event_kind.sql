-- Events and holidays are told apart on the calendar: a holiday is a day people are off
-- (shown as such on the month), an event anything else worth planning around.
ALTER TABLE calendar_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'event'
    CHECK (kind IN ('event', 'holiday'));
