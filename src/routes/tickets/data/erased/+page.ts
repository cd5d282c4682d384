// Plain links and forms, in the language the server chose: no JavaScript needed on this page.
export const csr = false;
