// The shapes the docs pages get from their loads (see $lib/server/docs/views.ts).

/** What the language switcher needs (see $lib/server/i18n `PageLanguage`). */
export interface DocsLanguage {
	locale: string;
	back: string;
	languages: { code: string; name: string }[];
}

export interface DocIndexData {
	project: { key: string; name: string; intro: string };
	topics: { name: string; docs: { slug: string; title: string; summary: string }[] }[];
	lang: DocsLanguage;
}

export interface DocArticleData {
	project: { key: string; name: string };
	doc: {
		title: string;
		summary: string;
		topic: string;
		html: string;
		headings: { depth: number; id: string; text: string }[];
	};
	prev: { slug: string; title: string } | null;
	next: { slug: string; title: string } | null;
	lang: DocsLanguage;
}
