-- Online petitions (KZ_RULES §3). Same conventions as 0001: epoch-ms BIGINT times, legal dates as
-- 'YYYY-MM-DD' TEXT, enums as TEXT with CHECK.

-- The maintained list of subjects a petition may not address (moderators reject with one of these).
CREATE TABLE petition_inadmissible_subjects (
    code    TEXT PRIMARY KEY,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active  BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE petitions (
    id                   TEXT PRIMARY KEY,
    status               TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'in_moderation', 'rejected', 'link_only', 'lapsed', 'collecting', 'threshold_reached', 'under_review', 'decision_published', 'closed', 'expired')),
    title                TEXT NOT NULL,
    text                 TEXT NOT NULL,
    proposals            TEXT NOT NULL,
    language             TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'other')),
    addressee_org_id     TEXT NOT NULL REFERENCES organisations(id),
    kato                 TEXT REFERENCES territories(kato),
    collection_mode      TEXT NOT NULL CHECK (collection_mode IN ('electronic', 'paper')),
    -- The author's filing data (personal: the author, moderators and the addressee's officials only).
    author_id            TEXT NOT NULL REFERENCES users(id),
    author_name          TEXT NOT NULL,
    author_public_name   TEXT NOT NULL,
    author_iin           TEXT,
    author_email         TEXT,
    author_address       TEXT,
    representative_authority TEXT,
    threshold            BIGINT NOT NULL,
    signature_count      BIGINT NOT NULL DEFAULT 0,
    submitted_on         TEXT,
    moderation_due_on    TEXT,
    moderator_id         TEXT REFERENCES users(id),
    admitted_on          TEXT,
    link_only_due_on     TEXT,
    public_from          TEXT,
    collection_ends_on   TEXT,
    threshold_reached_at BIGINT,
    registered_on        TEXT,
    review_due_on        TEXT,
    working_group        TEXT,
    decision             TEXT CHECK (decision IN ('supported', 'partly_supported', 'not_supported')),
    decision_text        TEXT,
    decided_by           TEXT REFERENCES users(id),
    decided_at           BIGINT,
    rejection_subject    TEXT REFERENCES petition_inadmissible_subjects(code),
    rejection_reason     TEXT,
    overdue              BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    version              BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX petitions_status ON petitions(status, created_at);
CREATE INDEX petitions_addressee ON petitions(addressee_org_id, status);
CREATE INDEX petitions_author ON petitions(author_id);

CREATE TABLE petition_events (
    id          TEXT PRIMARY KEY,
    petition_id TEXT NOT NULL REFERENCES petitions(id),
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor_role  TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    data        TEXT
);
CREATE INDEX petition_events_petition ON petition_events(petition_id, id);

-- One row per signer and petition. signer_hash is a keyed hash (HMAC-SHA256) of the IIN: the key
-- is not in the database, so a copy of it alone does not tell who signed. The primary key is what
-- makes "one signature per person per petition" hold, whatever the application does.
CREATE TABLE petition_signatures (
    signer_hash     TEXT NOT NULL,
    petition_id     TEXT NOT NULL REFERENCES petitions(id),
    public_name     TEXT NOT NULL,
    kato            TEXT,
    channel         TEXT NOT NULL CHECK (channel IN ('electronic', 'paper')),
    ip              TEXT,
    network         TEXT,
    email_domain    TEXT,
    signed_at       BIGINT NOT NULL,
    entered_by      TEXT,
    invalidation_id TEXT,
    PRIMARY KEY (signer_hash, petition_id)
);
CREATE INDEX petition_signatures_petition ON petition_signatures(petition_id, signed_at);

-- Counts maintained by the signing writer once per batch (never a hot row per signature).
CREATE TABLE petition_region_counts (
    petition_id TEXT NOT NULL,
    kato        TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (petition_id, kato)
);

CREATE TABLE petition_daily_counts (
    petition_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (petition_id, day)
);

-- Bulk invalidations by moderators: reversible, each one journaled.
CREATE TABLE petition_invalidations (
    id          TEXT PRIMARY KEY,
    petition_id TEXT NOT NULL REFERENCES petitions(id),
    ip_range    TEXT,
    from_ms     BIGINT,
    to_ms       BIGINT,
    reason      TEXT NOT NULL,
    affected    BIGINT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    reverted_by TEXT REFERENCES users(id),
    reverted_at BIGINT
);
CREATE INDEX petition_invalidations_petition ON petition_invalidations(petition_id);

CREATE TABLE petition_comments (
    id          TEXT PRIMARY KEY,
    petition_id TEXT NOT NULL REFERENCES petitions(id),
    parent_id   TEXT REFERENCES petition_comments(id),
    author_id   TEXT NOT NULL REFERENCES users(id),
    public_name TEXT NOT NULL,
    by_author   BIGINT NOT NULL DEFAULT 0,
    text        TEXT NOT NULL,
    reports     BIGINT NOT NULL DEFAULT 0,
    hidden      BIGINT NOT NULL DEFAULT 0,
    moderated_by TEXT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX petition_comments_petition ON petition_comments(petition_id, created_at);

CREATE TABLE petition_comment_reports (
    comment_id TEXT NOT NULL REFERENCES petition_comments(id),
    user_id    TEXT NOT NULL,
    reason     TEXT,
    at         BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
