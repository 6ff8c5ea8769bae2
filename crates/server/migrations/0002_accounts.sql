-- Accounts (company workspaces), their addresses (current and former, so old addresses keep
-- resolving after a rename), employees (invitations included), invitation tokens and tasks.

ALTER TABLE profiles ADD COLUMN accounts_created BIGINT NOT NULL DEFAULT 0;

CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    address         TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    plan            TEXT NOT NULL DEFAULT 'free',
    renames_allowed BIGINT NOT NULL DEFAULT 1,
    renames_used    BIGINT NOT NULL DEFAULT 0,
    -- Bumped by every change of seats: the row lock serialises them per account.
    revision        BIGINT NOT NULL DEFAULT 0,
    created_by      TEXT REFERENCES profiles(id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL
);

-- Every address an account has had; the primary key makes them unique across all accounts.
CREATE TABLE addresses (
    address    TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
);

CREATE TABLE employees (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    profile_id    TEXT REFERENCES profiles(id) ON DELETE SET NULL,
    status        TEXT NOT NULL,
    role          TEXT NOT NULL,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    photo_url     TEXT,
    contact_email TEXT,
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX employees_one_record_per_profile ON employees(account_id, profile_id) WHERE profile_id IS NOT NULL;
CREATE INDEX employees_by_account ON employees(account_id, status, id);
CREATE INDEX employees_by_profile ON employees(profile_id);
CREATE INDEX employees_by_contact ON employees(account_id, contact_email);

CREATE TABLE invitation_tokens (
    token_hash  TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX invitation_tokens_by_employee ON invitation_tokens(employee_id);

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    assignee_id TEXT REFERENCES employees(id),
    created_by  TEXT NOT NULL REFERENCES employees(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX tasks_by_account ON tasks(account_id, id);
CREATE INDEX tasks_by_assignee ON tasks(assignee_id, status);

-- A session may be for one account (a desktop tab); it dies with the account.
ALTER TABLE sessions ADD COLUMN account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE;
