-- Hidden-service reports computed in the background (issue 5, item 9), and the index of a
-- group's appeals in indexing order. The same tables as
-- migrations/sqlite/0009.

-- One row per standard period (days before its last day, `period_days`): the latest report,
-- stored whole as JSON (a list of at most a hundred recurring requests, read whole). A report is
-- current for the day `to_day` and the registry whose `fingerprint` it was computed under
-- (services::fingerprint); `computed_at` is when its computation started, so that of two
-- computations finishing out of order the later one stays.
CREATE TABLE hidden_service_reports (
    period_days  BIGINT PRIMARY KEY,
    from_day     TEXT NOT NULL,
    to_day       TEXT NOT NULL,
    min_volume   BIGINT NOT NULL,
    fingerprint  TEXT NOT NULL,
    computed_at  BIGINT NOT NULL,
    applications BIGINT NOT NULL,
    report       TEXT NOT NULL
);

-- A group's appeals are read in indexing order (similar_to's pages, group_for_answer): the
-- group and its order in one index, which also serves every look-up by group alone.
DROP INDEX appeal_similarity_group;
CREATE INDEX appeal_similarity_group_seq ON appeal_similarity(group_id, seq);
