export async function checkSecondStart() { return { ok: false, figure: 'todo', failures: ['todo'] }; }
