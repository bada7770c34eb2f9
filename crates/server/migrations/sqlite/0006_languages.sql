-- Each user's language (SPEC §7): the one they chose in the language menu,
-- and the one their browser last signed in with; emails are written in the
-- first of the two that is set, else English.
ALTER TABLE users ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN seen_language TEXT;
-- An in-app notification is worded in the reader's language by the browser
-- from its kind and parameters (a JSON object); title and body stay as
-- the English wording.
ALTER TABLE notifications ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
