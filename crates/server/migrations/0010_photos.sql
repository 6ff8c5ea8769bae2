-- Profile photos uploaded to this server (`PUT /api/v1/me/photo`): the 256×256 PNG made of
-- each upload, served at `/api/v1/photos/{id}` without a session. The id is a 256-bit random
-- token, so nobody finds a photo by guessing. `BYTEA` is PostgreSQL's binary type; SQLite
-- keeps the bytes as a BLOB whatever the column's type is called.
CREATE TABLE photos (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    bytes        BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX photos_by_profile ON photos(profile_id);
