-- Rate limits shared by every replica on this database, so spreading requests over replicas
-- buys an attacker nothing. One bucket per limiter and key (GCRA).
CREATE TABLE rate_limits (
    limiter TEXT NOT NULL,
    key TEXT NOT NULL,
    -- The bucket's theoretical arrival time, Unix milliseconds: it is full again then.
    tat BIGINT NOT NULL,
    PRIMARY KEY (limiter, key)
);

-- Wrong passwords per login and client within a window; a success deletes the row.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    since BIGINT NOT NULL
);
