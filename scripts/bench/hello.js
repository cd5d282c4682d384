// The floor of every HTTP figure: node:http answering "hello" with nothing else.
import { createServer } from 'node:http';

createServer((req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' });
	res.end('hello');
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
