-- Remembered suggestions, as migrations/sqlite/0021_doc_search_state.sql: each reindex raises this
-- one row's generation in its own transaction, so every instance sees it on its next search.
CREATE TABLE doc_search_state (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	generation BIGINT NOT NULL
);
INSERT INTO doc_search_state (id, generation) VALUES (1, 0);
