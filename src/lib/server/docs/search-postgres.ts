// PostgreSQL's side of the docs search (migrations/postgres/0006_docs.sql): a stored tsvector
// (title weight A, body weight B, English stemming) with a GIN index.
import { sql } from 'kysely';
import type { Conn } from '$lib/server/db';
import { END, START } from './markers';

// Title hits weigh 10× body hits, as bm25's column weights do on SQLite ({D, C, B, A}).
const WEIGHTS = '{0, 0, 0.1, 1.0}';

/**
 * Ranked public docs of a project for search terms (already reduced to letters and digits, so
 * they are only ever words): every term prefix-matched after stemming, all of them (`and`) or
 * any (`or`). websearch_to_tsquery cannot express prefixes, so the query is built from the
 * terms; nothing the user typed can become tsquery syntax. Like bm25, a rare word counts more
 * than a common one: each term's ts_rank_cd is weighted by its inverse document frequency, and
 * long docs are damped (normalization 1: ÷ 1 + log length), as bm25 does.
 */
export async function queryPostgres(
	db: Conn,
	project: string,
	terms: string[],
	mode: 'and' | 'or',
	limit: number
): Promise<{ rowid: number; slug: string; title: string; snip: string }[]> {
	if (!terms.length) return [];
	const tsquery = terms.map((t) => `'${t}':*`).join(mode === 'and' ? ' & ' : ' | ');
	// The same snippet shape as FTS5's snippet(…, 16): about 16 words around the hits, markers
	// around each hit, '…' between fragments. (Built here: START/END come from search.ts.)
	const headline = `StartSel=${START}, StopSel=${END}, MaxWords=16, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
	// Rank first, build headlines for the few winners only.
	const result = await sql<{ rowid: number; slug: string; title: string; snip: string }>`
		WITH docs AS (SELECT * FROM doc_search WHERE project = ${project}),
		terms AS (
			SELECT tq, ln(1 + (SELECT count(*) FROM docs)::float8
				/ (1 + (SELECT count(*) FROM docs WHERE search @@ tq))) AS idf
			FROM unnest(${terms}::text[]) AS t, to_tsquery('english', quote_literal(t) || ':*') AS tq
		),
		hits AS (
			SELECT d.id, d.slug, d.title, d.body, sum(terms.idf * ts_rank_cd(${WEIGHTS}::real[], d.search, terms.tq, 1)) AS rank
			FROM docs AS d, terms
			WHERE d.search @@ to_tsquery('english', ${tsquery})
			GROUP BY d.id, d.slug, d.title, d.body
			ORDER BY rank DESC, d.id
			LIMIT ${limit}
		)
		SELECT id AS rowid, slug, title,
			ts_headline('english', body, to_tsquery('english', ${tsquery}), ${headline}) AS snip
		FROM hits
		ORDER BY rank DESC, id`.execute(db);
	return result.rows;
}
