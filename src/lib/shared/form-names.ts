// Names shared by server code and public pages. Kept apart from `$lib/schemas` so a page can
// import them without pulling zod (~25 KB gzip) into the browser.

/** The create form's honeypot field: people leave it empty, naive bots fill it. */
export const HONEYPOT = 'website';
