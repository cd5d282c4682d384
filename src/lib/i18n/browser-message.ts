/**
 * A message as the browser gets it: plain text with {placeholders}, or plural variants by
 * category (`one`, `other`, …) with `$` naming the input that selects.
 */
export type BrowserMessage = string | ({ $: string; other: string } & Record<string, string>);
