-- The organisations' transparency index (issue 5, item 10), recomputed daily from the appeals
-- and the journal by `storage::transparency::compute`; a day's rows are replaced whole in one
-- transaction. Only aggregates per body: no appeal, applicant or official is identified here.

-- One row per computed day: the day exists even when no body had appeals in the window, and
-- records the methodology (`version`: fingerprint of crates/core/rules/transparency.toml).
CREATE TABLE transparency_days (
    day         TEXT PRIMARY KEY,
    version     TEXT NOT NULL,
    window_from TEXT NOT NULL,
    computed_at BIGINT NOT NULL
);

-- One row per body with at least one appeal in the window. Shares are 0..1, NULL where there is
-- nothing to measure; `score` is NULL for a body that is not ranked (too few appeals).
CREATE TABLE transparency_index (
    day                  TEXT NOT NULL REFERENCES transparency_days(day),
    org_id               TEXT NOT NULL REFERENCES organisations(id),
    appeals              BIGINT NOT NULL,
    handled              BIGINT NOT NULL,
    answered             BIGINT NOT NULL,
    on_time_share        DOUBLE PRECISION,
    median_working_days  DOUBLE PRECISION,
    extended_share       DOUBLE PRECISION,
    forwarded_late_share DOUBLE PRECISION,
    avg_rating           DOUBLE PRECISION,
    complaint_share      DOUBLE PRECISION,
    repeated_share       DOUBLE PRECISION,
    score                DOUBLE PRECISION,
    PRIMARY KEY (day, org_id)
);
