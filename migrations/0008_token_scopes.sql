-- What a token may do and until when. `scopes` lists scope names separated by single spaces
-- (`incidents components`); NULL means every scope, present and future, which is what every
-- token had before scopes existed, so existing tokens keep full access. `expires_at` is UTC
-- ISO 8601 like every stored time; NULL means the token never expires.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT
    CHECK (scopes IS NULL OR (length(scopes) BETWEEN 1 AND 100 AND scopes NOT GLOB '*[^a-z ]*'));
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
