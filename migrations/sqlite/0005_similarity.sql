-- Near-duplicate detection (MinHash/LSH, crates/analytics/src/minhash.rs), filled by a background
-- indexer after registration, never inside it. The same tables as migrations/postgres/0005.

-- One row per indexed appeal. `seq` is the indexer's compact number for the appeal, so the band
-- index stores 16 small rows per appeal instead of 16 copies of its text id. `group_id` is the
-- earliest appeal of its group (its own id when alone); groups only ever merge into the earlier
-- one, so a group's id is stable. `match_id`/`similarity`: the most similar earlier appeal when
-- it was indexed, and the estimated Jaccard similarity. `signature` is NULL for a text without
-- words. `registered_on` is copied from the appeal (it never changes) so that the campaign list
-- reads one covering index for a period.
CREATE TABLE appeal_similarity (
    seq           BIGINT PRIMARY KEY,
    appeal_id     TEXT NOT NULL UNIQUE REFERENCES appeals(id),
    registered_on TEXT NOT NULL,
    signature     BLOB,
    group_id      TEXT NOT NULL,
    match_id      TEXT,
    similarity    REAL,
    indexed_at    BIGINT NOT NULL
);
CREATE INDEX appeal_similarity_group ON appeal_similarity(group_id);
CREATE INDEX appeal_similarity_period ON appeal_similarity(registered_on, group_id);

-- The LSH band index: an appeal is listed under each of its 16 band keys.
CREATE TABLE similarity_bands (
    band_key BIGINT NOT NULL,
    seq      BIGINT NOT NULL,
    PRIMARY KEY (band_key, seq)
) WITHOUT ROWID;

-- The indexer's progress: the highest appeal id indexed. One row, also the lock that keeps two
-- indexers (the worker and a synchronous call) from working on the same batch.
CREATE TABLE similarity_cursor (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    last_appeal_id TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);
INSERT INTO similarity_cursor (id, last_appeal_id, updated_at) VALUES (1, '', 0);
