-- Foundation schema. One logical schema for SQLite and PostgreSQL (migrations/postgres holds the
-- same tables): times are BIGINT epoch milliseconds (UTC), legal dates are TEXT 'YYYY-MM-DD',
-- identifiers are TEXT, enums are TEXT with CHECK, flags are BIGINT 0/1.

CREATE TABLE territories (
    kato        TEXT PRIMARY KEY,
    parent_kato TEXT REFERENCES territories(kato),
    level       TEXT NOT NULL CHECK (level IN ('region', 'district', 'rural_okrug', 'settlement')),
    name_kk     TEXT NOT NULL,
    name_ru     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    population  BIGINT
);

CREATE TABLE categories (
    id             TEXT PRIMARY KEY,
    parent_id      TEXT REFERENCES categories(id),
    name_kk        TEXT NOT NULL,
    name_ru        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    public_service BIGINT NOT NULL DEFAULT 0,
    security       BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE organisations (
    id        TEXT PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name_kk   TEXT NOT NULL,
    name_ru   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    level     TEXT NOT NULL CHECK (level IN ('central', 'oblast_akimat', 'oblast_maslikhat', 'district_akimat', 'district_maslikhat', 'other')),
    parent_id TEXT REFERENCES organisations(id),
    kato      TEXT REFERENCES territories(kato),
    work_week TEXT NOT NULL DEFAULT 'five_day' CHECK (work_week IN ('five_day', 'six_day')),
    bin       TEXT
);
CREATE INDEX organisations_parent ON organisations(parent_id);

CREATE TABLE org_competences (
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    category_id TEXT NOT NULL REFERENCES categories(id),
    PRIMARY KEY (org_id, category_id)
);

CREATE TABLE routing_rules (
    id          TEXT PRIMARY KEY,
    category_id TEXT REFERENCES categories(id),
    kato        TEXT REFERENCES territories(kato),
    org_id      TEXT NOT NULL REFERENCES organisations(id),
    priority    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE calendar_days (
    day              TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('holiday', 'day_off', 'working_day')),
    name             TEXT NOT NULL,
    moves_if_weekend BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    role             TEXT NOT NULL CHECK (role IN ('citizen', 'official', 'head', 'supervisor', 'administrator')),
    login            TEXT UNIQUE,
    password_hash    TEXT,
    external_subject TEXT UNIQUE,
    iin              TEXT UNIQUE,
    full_name        TEXT NOT NULL,
    email            TEXT,
    phone            TEXT,
    address          TEXT,
    org_id           TEXT REFERENCES organisations(id),
    position         TEXT,
    language         TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('kk', 'ru', 'en')),
    disabled         BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('session', 'api_token')),
    name       TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE reg_counters (
    org_id TEXT NOT NULL,
    year   BIGINT NOT NULL,
    value  BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE appeals (
    id                   TEXT PRIMARY KEY,
    reg_no               TEXT NOT NULL UNIQUE,
    ticket               TEXT NOT NULL,
    form                 TEXT NOT NULL CHECK (form IN ('application', 'complaint', 'proposal', 'request', 'response', 'report')),
    channel              TEXT NOT NULL CHECK (channel IN ('web', 'api', 'call_centre_1414', 'reception_centre', 'social_network', 'paper')),
    language             TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'other')),
    status               TEXT NOT NULL CHECK (status IN ('registered', 'forwarded', 'in_review', 'extended', 'answered', 'rated', 'complained', 'closed', 'not_considered', 'left_without_consideration')),
    applicant_kind       TEXT NOT NULL CHECK (applicant_kind IN ('individual', 'legal_entity', 'anonymous')),
    applicant_id         TEXT REFERENCES users(id),
    applicant_name       TEXT,
    applicant_iin        TEXT,
    applicant_bin        TEXT,
    applicant_email      TEXT,
    applicant_phone      TEXT,
    applicant_address    TEXT,
    reports_crime        BIGINT NOT NULL DEFAULT 0,
    addressee_org_id     TEXT NOT NULL REFERENCES organisations(id),
    org_id               TEXT NOT NULL REFERENCES organisations(id),
    category_id          TEXT NOT NULL REFERENCES categories(id),
    kato                 TEXT REFERENCES territories(kato),
    lat                  DOUBLE PRECISION,
    lon                  DOUBLE PRECISION,
    text                 TEXT NOT NULL,
    text_norm            TEXT NOT NULL,
    received_at          BIGINT NOT NULL,
    registered_on        TEXT NOT NULL,
    due_on               TEXT NOT NULL,
    original_due_on      TEXT NOT NULL,
    accepted_by_name     TEXT NOT NULL,
    accepted_by_position TEXT NOT NULL,
    submitted_by         TEXT REFERENCES users(id),
    assignee_id          TEXT REFERENCES users(id),
    overdue              BIGINT NOT NULL DEFAULT 0,
    reminded             BIGINT NOT NULL DEFAULT 0,
    escalated_to_org_id  TEXT REFERENCES organisations(id),
    extensions           BIGINT NOT NULL DEFAULT 0,
    forwards             BIGINT NOT NULL DEFAULT 0,
    forwarded_late       BIGINT NOT NULL DEFAULT 0,
    repeated_of          TEXT REFERENCES appeals(id),
    parent_appeal_id     TEXT REFERENCES appeals(id),
    answer_text          TEXT,
    answered_at          BIGINT,
    answered_by          TEXT REFERENCES users(id),
    rating               BIGINT CHECK (rating BETWEEN 1 AND 5),
    rating_comment       TEXT,
    closed_at            BIGINT,
    leave_reason         TEXT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    version              BIGINT NOT NULL DEFAULT 0
);
-- Every index here is paid for on each registration; lists by other filters walk the
-- time-ordered primary key backwards and stop at the page size.
CREATE INDEX appeals_org_status_due ON appeals(org_id, status, due_on);
-- The deadline monitor's work list: only appeals still awaiting an answer.
CREATE INDEX appeals_open_due ON appeals(due_on) WHERE status IN ('registered', 'forwarded', 'in_review', 'extended');
CREATE INDEX appeals_applicant ON appeals(applicant_id, category_id, addressee_org_id, received_at);
CREATE INDEX appeals_escalated ON appeals(escalated_to_org_id) WHERE escalated_to_org_id IS NOT NULL;

CREATE TABLE appeal_attachments (
    id           TEXT PRIMARY KEY,
    appeal_id    TEXT NOT NULL REFERENCES appeals(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL
);
CREATE INDEX appeal_attachments_appeal ON appeal_attachments(appeal_id);

-- The journal: append-only; nothing updates or deletes a row.
CREATE TABLE appeal_events (
    id          TEXT PRIMARY KEY,
    appeal_id   TEXT NOT NULL REFERENCES appeals(id),
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor_role  TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    from_org_id TEXT,
    to_org_id   TEXT,
    reason      TEXT,
    data        TEXT
);
CREATE INDEX appeal_events_appeal ON appeal_events(appeal_id, id);

CREATE TABLE idempotency_keys (
    principal_id TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    appeal_id    TEXT NOT NULL REFERENCES appeals(id),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (principal_id, idem_key)
);

-- Who read whose personal data, when and why (officials' reads of applicants' data).
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       TEXT
);
CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);

-- Notices: written in the same transaction as the change they report, delivered later.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    user_id         TEXT REFERENCES users(id),
    appeal_id       TEXT REFERENCES appeals(id),
    kind            TEXT NOT NULL,
    language        TEXT NOT NULL,
    email           TEXT,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL AND email IS NOT NULL;
CREATE INDEX outbox_user ON outbox(user_id, created_at);
CREATE INDEX outbox_appeal ON outbox(appeal_id);
