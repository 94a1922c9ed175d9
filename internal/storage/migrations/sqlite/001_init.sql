-- Applications: keys are stored as argon2id hashes only. Callback
-- credentials are kept readable because ktpocr itself must present them.
CREATE TABLE apps (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    sandbox           BOOLEAN NOT NULL,
    api_key_hash      TEXT NOT NULL,
    callback_username TEXT NOT NULL,
    callback_password TEXT NOT NULL,
    callback_secret   TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    reference_id     TEXT NOT NULL,
    status           TEXT NOT NULL,
    validate_quality BOOLEAN NOT NULL,
    callback_url     TEXT NOT NULL,
    image            BLOB,
    result           TEXT,
    created_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    expires_at       TIMESTAMP,
    UNIQUE (app_id, reference_id)
);

CREATE INDEX jobs_expires_at ON jobs (expires_at);

-- job_id is NULL for callbacks without a job row (sandbox submissions).
CREATE TABLE callback_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id      INTEGER REFERENCES jobs (id) ON DELETE CASCADE,
    app_id      TEXT NOT NULL,
    url         TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    http_status INTEGER NOT NULL,
    error       TEXT NOT NULL
);

CREATE INDEX callback_attempts_job_id ON callback_attempts (job_id);
CREATE INDEX callback_attempts_at ON callback_attempts (at);
