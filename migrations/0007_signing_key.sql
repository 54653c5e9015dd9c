-- The key that signs static copies of the site (`warta export`, `serve --mirror`): their
-- manifest.json is signed with it, so a reader can tell a genuine copy from a forged or
-- damaged one. Kept in the database, so a backup or a Litestream replica keeps it and every
-- machine restored from one signs with the same key. Made only by `warta key create`: a
-- database without one still exports, unsigned.
--
-- Ed25519 (RFC 8032): the private key is the 32-byte seed, the public key its 32-byte
-- encoding; `public_key` is stored too so serving it never touches the private key.
CREATE TABLE signing_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key BLOB NOT NULL CHECK (length(private_key) = 32),
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    created_at  TEXT NOT NULL
);
