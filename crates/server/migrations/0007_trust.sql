-- Sessions and trust (SPEC.md). A session says what it may act for: `profile` (made by the
-- profile's own credentials) or `account` (made by an account's single sign-on, that account
-- only). Sessions slide with each refresh but never outlive `ends_at`.
ALTER TABLE sessions ADD COLUMN scope TEXT NOT NULL DEFAULT 'profile';
ALTER TABLE sessions ADD COLUMN ends_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET ends_at = created_at + 2592000000;

-- Email domains the operator verified for an account (`admin verify-domain`): its single
-- sign-on may link an identity whose verified email is under one of them to the profile with
-- that login, without asking for the password.
CREATE TABLE verified_domains (
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    domain      TEXT NOT NULL,
    verified_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, domain)
);

-- One-time codes the browser carries back to the desktop. Rebuilt (they live two minutes) so
-- that a code may stand for an identity whose profile is not known yet, and so that linking
-- happens when the code is exchanged, bound by PKCE to the client that started the flow:
--   link_mode NULL      sign `profile_id` in
--   link_mode 'link'    link the identity to `profile_id`, then sign it in
--   link_mode 'prove'   answer `link_required`: the person proves a profile first
DROP TABLE exchange_codes;
CREATE TABLE exchange_codes (
    code_hash       TEXT PRIMARY KEY,
    code_challenge  TEXT NOT NULL,
    profile_id      TEXT REFERENCES profiles(id) ON DELETE CASCADE,
    account_id      TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    scope           TEXT NOT NULL,
    link_mode       TEXT,
    link_issuer     TEXT,
    link_subject    TEXT,
    link_provider   TEXT,
    link_email      TEXT,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);

-- An identity waiting for proof of a profile (`link_required`). `profile_id` is the profile
-- whose login the identity's email is, when there is one; otherwise the person names the
-- login. Replaces `link_tokens`, whose profile was required.
DROP TABLE link_tokens;
CREATE TABLE pending_links (
    token_hash TEXT PRIMARY KEY,
    profile_id TEXT REFERENCES profiles(id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    provider   TEXT NOT NULL,
    email      TEXT,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX pending_links_by_profile ON pending_links(profile_id);
CREATE INDEX sign_in_attempts_by_expiry ON sign_in_attempts(expires_at);

-- A QR request from a desktop tab signs in to one account, which the approver must pick;
-- `profile` requests (the profile page) sign in the profile alone.
ALTER TABLE qr_requests ADD COLUMN purpose TEXT NOT NULL DEFAULT 'tab';
