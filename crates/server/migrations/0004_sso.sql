-- Single sign-on (an account's OpenID Connect provider), social sign-in and linked identities.

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
    -- Single sign-on to this account, or a social sign-in with this configured provider.
    account_id     TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    social         TEXT,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    client_state   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    expires_at     BIGINT NOT NULL
);

-- One-time codes the desktop trades for a session (with its PKCE verifier). A social
-- identity whose email is an existing login is not linked yet: the code then carries it, and
-- the exchange answers link_required.
CREATE TABLE exchange_codes (
    code_hash       TEXT PRIMARY KEY,
    code_challenge  TEXT NOT NULL,
    profile_id      TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id      TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    link_issuer     TEXT,
    link_subject    TEXT,
    link_provider   TEXT,
    link_email      TEXT,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);

-- Proof that someone came back from a provider with an identity whose email is this
-- profile's login; with the profile's password it links the identity.
CREATE TABLE link_tokens (
    token_hash TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    provider   TEXT NOT NULL,
    email      TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
