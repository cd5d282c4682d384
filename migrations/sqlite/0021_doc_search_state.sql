-- Remembered suggestions: each reindex raises this one row's generation in its own transaction,
-- so a process that remembers search results (src/lib/server/docs/search.ts) sees a reindex made
-- by another process (`docs reindex`, another instance) on its next search.
CREATE TABLE doc_search_state (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	generation INTEGER NOT NULL
);
INSERT INTO doc_search_state (id, generation) VALUES (1, 0);
