// Reporter-facing words that the server puts into a page's data in the reader's language, so
// the page's JavaScript carries no message catalogue (first-load budget) for parts that only
// some pages show: "Did this solve it?" and the create form's browser check.

export interface CsatText {
	question: string;
	yes: string;
	no: string;
	comment: string;
	submit: string;
	choose: string;
	currentSolved: string;
	currentNotSolved: string;
	changeHint: string;
	threadIntro: string;
}

export interface PowText {
	checking: string;
	failed: string;
	needsJsTitle: string;
	needsJs: string;
	intake: string;
}
