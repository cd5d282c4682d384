-- Public docs: a full-text index rebuilt from content/docs at start-up and by `docs reindex`,
-- and "This answered my question" clicks (no personal data: project, doc, time).

-- Only public docs are indexed. project and slug are filters, not searched.
-- porter = English stemming ("attaching" finds "attach"); prefix indexes speed up "term"* queries.
CREATE VIRTUAL TABLE doc_search USING fts5(
	project UNINDEXED,
	slug UNINDEXED,
	title,
	body,
	tokenize = 'porter unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);

CREATE TABLE doc_deflections (
	id INTEGER PRIMARY KEY,
	project_key TEXT NOT NULL,
	doc_slug TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX doc_deflections_project ON doc_deflections(project_key, created_at);
