-- Components and groups named in each of the page's languages: the primary name and
-- description are in the page's default language, these hold the other language's, as
-- incidents' name_translations do. A language without one shows the primary text.
ALTER TABLE components ADD COLUMN name_translations TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(name_translations));
ALTER TABLE components ADD COLUMN description_translations TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(description_translations));
ALTER TABLE component_groups ADD COLUMN name_translations TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(name_translations));
ALTER TABLE component_groups ADD COLUMN description_translations TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(description_translations));
