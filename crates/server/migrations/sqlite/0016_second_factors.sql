-- R20: second factors. A user's authenticator app (kind 'totp': its secret)
-- and passkeys (kind 'passkey': the credential), each sealed with the
-- server's secret (ChaCha20-Poly1305, src/factors.rs), never in clear. An
-- authenticator counts once confirmed by a first code; `last_step` is the
-- RFC 6238 time step of the last code taken, so that a code is never taken
-- twice (the update that raises it is the one check, on every instance).
CREATE TABLE second_factors (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('totp', 'passkey')),
    name         TEXT NOT NULL,
    sealed       TEXT NOT NULL,
    confirmed    INTEGER NOT NULL DEFAULT 0,
    last_step    INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX second_factors_by_user ON second_factors (user_id);

-- Ten single-use recovery codes per user, kept only as HMAC-SHA256 under
-- the server's secret; a used code keeps its row with `used_at`.
CREATE TABLE recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- A session made by the password of a user with a factor waits for it:
-- it grants nothing until the factor is given (then it is replaced).
ALTER TABLE sessions ADD COLUMN pending_factor INTEGER NOT NULL DEFAULT 0;

-- A17: who must have a second factor to enter the account: nobody,
-- everyone, or (customer accounts) partner people only. A partner
-- account's 'everyone' covers its employees in its clients too.
ALTER TABLE account_settings ADD COLUMN second_factor TEXT NOT NULL DEFAULT 'nobody'
    CHECK (second_factor IN ('nobody', 'everyone', 'partner_people'));

-- A passkey ceremony between its two requests: the state webauthn-rs
-- needs to finish it, sealed, keyed by the session that began it and taken
-- once (the delete that takes it is the check, on any instance).
CREATE TABLE webauthn_ceremonies (
    session_hash TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('register', 'sign_in')),
    sealed       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (session_hash, kind)
);
