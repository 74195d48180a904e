-- The registry of public services that administrators keep (issue 5, item 9): recurring
-- applications that no service here covers are "hidden" public services. A service covers
-- appeals of its category (and subcategories; any category when NULL) whose text has one of its
-- keyword phrases (';'-separated; each word matches words that start with it; none = every
-- appeal of the category).
CREATE TABLE public_services (
    id          TEXT PRIMARY KEY,
    name_kk     TEXT NOT NULL,
    name_ru     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    category_id TEXT REFERENCES categories(id),
    keywords    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

-- Applications of a period, for the hidden-service finder.
CREATE INDEX appeals_form_received ON appeals(form, received_at);
