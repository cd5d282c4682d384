// Private-use characters that mark a highlighted term inside a snippet, whichever engine made
// it (FTS5 `snippet()` or PostgreSQL `ts_headline`); never in doc text.
export const START = '\uE000';
export const END = '\uE001';
