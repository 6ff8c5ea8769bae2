-- QR sign-in requests: a desktop asks, a signed-in phone approves, the desktop collects the
-- session once. The id is in the QR code; the poll token only the desktop holds (hashed here).

CREATE TABLE qr_requests (
    id              TEXT PRIMARY KEY,
    poll_token_hash TEXT NOT NULL,
    device_name     TEXT NOT NULL,
    platform        TEXT,
    ip              TEXT NOT NULL,
    match_number    BIGINT NOT NULL,
    choices         TEXT NOT NULL,
    -- pending, approved, denied, cancelled (wrong number) or used
    state           TEXT NOT NULL DEFAULT 'pending',
    profile_id      TEXT REFERENCES profiles(id) ON DELETE CASCADE,
    account_id      TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX qr_requests_by_expiry ON qr_requests(expires_at);
