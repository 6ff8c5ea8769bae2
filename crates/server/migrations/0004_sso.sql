-- Single sign-on (an account's OpenID Connect provider) and linked identities.

CREATE TABLE sso_providers (
    account_id    TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    issuer        TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- An identity at a provider, keyed by (issuer, subject), never by email.
CREATE TABLE identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    provider   TEXT NOT NULL,
    email      TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX identities_by_profile ON identities(profile_id);

-- A browser sign-in under way: what to check when the provider sends the person back, and
-- where to send them then (the desktop's loopback redirect).
CREATE TABLE sign_in_attempts (
    state_hash     TEXT PRIMARY KEY,
    account_id     TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    client_state   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     BIGINT NOT NULL
);

-- One-time codes the desktop trades for a session (with its PKCE verifier).
CREATE TABLE exchange_codes (
    code_hash      TEXT PRIMARY KEY,
    code_challenge TEXT NOT NULL,
    profile_id     TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id     TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT
);
