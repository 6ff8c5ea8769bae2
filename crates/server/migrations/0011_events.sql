-- The live feed (`GET /api/v1/me/events`): each change a person should hear of at once,
-- written beside the change by whichever replica made it. Every replica reads the table on a
-- short tick (and at once after its own writes) and pushes new rows to the streams it holds,
-- so a change made on one replica reaches a stream held by another. `id` is a UUIDv7: its text
-- sorts by the writer's clock, which the readers' overlap window allows for (`events.rs`).
-- Rows older than a day are dropped: `Last-Event-ID` resumes within that.
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id TEXT,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_profile ON events(profile_id, id);
