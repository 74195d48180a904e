-- Running totals of appeals per (dimension, key, month), kept in the same transaction as every
-- registration and every change of an appeal: the public statistics read a few hundred rows
-- instead of scanning every appeal. `dim` is total, region, category (top category), form,
-- channel, language, status or org; `month` is YYYY-MM of registration. A rebuild from the
-- appeals table (at start when empty) restores them exactly.
CREATE TABLE appeal_counters (
    dim      TEXT NOT NULL,
    key      TEXT NOT NULL,
    month    TEXT NOT NULL,
    total    BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    on_time  BIGINT NOT NULL DEFAULT 0,
    open_n   BIGINT NOT NULL DEFAULT 0,
    overdue  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dim, key, month)
);
