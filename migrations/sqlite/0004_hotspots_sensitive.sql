-- Listening analytics (issue 5): problem hotspots (item 7) and sensitive appeals (item 8).

-- Appeals per (kind, week, area, top category), moved in the same transaction as every
-- registration, like appeal_counters: the hotspot page reads a quarter's worth of these rows
-- instead of scanning appeals. `kind` is 'district' (area = the district's KATO code) or 'grid'
-- (area = "<lat cell>:<lon cell>", cells of 0.01 degrees, only for appeals with a point); `week`
-- is the Monday (YYYY-MM-DD) of the local registration date.
CREATE TABLE hotspot_counts (
    kind     TEXT NOT NULL,
    week     TEXT NOT NULL,
    area     TEXT NOT NULL,
    category TEXT NOT NULL,
    n        BIGINT NOT NULL DEFAULT 0,
    -- Week first: the finder reads the last weeks only.
    PRIMARY KEY (week, kind, area, category)
);

-- The drill-down from a hotspot to its appeals reads one week of registrations.
CREATE INDEX appeals_registered ON appeals(registered_on);

-- The sensitive topics an appeal was flagged with at registration (comma-separated, in the
-- order of tyndau_core::sensitive::Topic), NULL when none; and why (the terms that matched).
ALTER TABLE appeals ADD COLUMN sensitive TEXT;
ALTER TABLE appeals ADD COLUMN sensitive_because TEXT;
CREATE INDEX appeals_sensitive ON appeals(received_at) WHERE sensitive IS NOT NULL;
-- Open flagged appeals per topic, without reading the closed ones.
CREATE INDEX appeals_sensitive_open ON appeals(sensitive)
    WHERE sensitive IS NOT NULL AND status IN ('registered', 'forwarded', 'in_review', 'extended');

-- The lexicon of sensitive terms, maintained by administrators.
CREATE TABLE sensitive_terms (
    id         TEXT PRIMARY KEY,
    topic      TEXT NOT NULL CHECK (topic IN ('life_health', 'children', 'utilities_winter', 'corruption', 'mass_events')),
    term       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (topic, term)
);
