-- Public pages and mail in the reporter's language (issue 18).

-- The language used when nothing else matches, and the languages offered to reporters
-- (comma-separated locale codes; NULL = every language the portal ships).
ALTER TABLE projects ADD COLUMN default_locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE projects ADD COLUMN locales TEXT;

-- The language a recipient last used (web, mail reply, Discord); their mail is composed in it.
-- NULL = the project's default language.
ALTER TABLE ticket_recipients ADD COLUMN locale TEXT;
