// The server Playwright starts: a fresh DATA_DIR every run, then `npm start`'s server.
import { rmSync } from 'node:fs';

if (!process.env.DATA_DIR) throw new Error('DATA_DIR must be set for the e2e server');
rmSync(process.env.DATA_DIR, { recursive: true, force: true });
await import('./start.js');
