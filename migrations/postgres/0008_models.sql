-- Models trained inside Tyndau (issue 5, items 2 and 3): the category classifier and the
-- routing model, each the latest trained version, persisted so that a restart serves the same
-- suggestions without retraining.
CREATE TABLE models (
    kind        TEXT PRIMARY KEY CHECK (kind IN ('category', 'route')),
    version     BIGINT NOT NULL,
    trained_at  BIGINT NOT NULL,
    examples    BIGINT NOT NULL,
    labels      BIGINT NOT NULL,
    accuracy    DOUBLE PRECISION,
    bytes       BYTEA NOT NULL
);

-- Officials' confirmations and corrections of an appeal's category: each is a training example
-- of the category classifier (the latest per appeal).
CREATE TABLE category_labels (
    appeal_id   TEXT PRIMARY KEY REFERENCES appeals(id),
    category_id TEXT NOT NULL REFERENCES categories(id),
    previous_id TEXT NOT NULL,
    labelled_by TEXT NOT NULL REFERENCES users(id),
    labelled_at BIGINT NOT NULL
);

-- The trainers' reads: answered appeals, newest first (and how many there are).
CREATE INDEX appeals_answered ON appeals(received_at) WHERE answered_at IS NOT NULL;
