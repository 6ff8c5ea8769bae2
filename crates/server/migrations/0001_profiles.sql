-- Profiles, their sessions (refresh-token families) and one-time tokens (mailed links, SMS codes).
-- Times are Unix milliseconds; ids are UUIDv7 text. A verified login has its *_verified_at.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE profiles (
    id             TEXT PRIMARY KEY,
    email          TEXT UNIQUE,
    email_verified_at BIGINT,
    phone          TEXT UNIQUE,
    phone_verified_at BIGINT,
    password_hash  TEXT,
    first_name     TEXT NOT NULL DEFAULT '',
    last_name      TEXT NOT NULL DEFAULT '',
    photo_url      TEXT,
    created_at     BIGINT NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    device_name  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX sessions_by_profile ON sessions(profile_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);

CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    target     TEXT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX one_time_tokens_by_profile ON one_time_tokens(profile_id, purpose);
