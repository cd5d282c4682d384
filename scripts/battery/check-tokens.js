export async function checkTokens() { return { ok: false, figure: 'todo', failures: ['todo'] }; }
