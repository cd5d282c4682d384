export async function checkParallel() { return { ok: false, figure: 'todo', failures: ['todo'] }; }
