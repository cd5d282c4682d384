import { spawn, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
	chmodSync,
	chownSync
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import {
	accounts,
	dovecotConfig,
	freePort,
	selfSigned,
	sessionProcesses,
	waitForGreeting
} from './dovecot-setup';

/** Where Debian's dovecot-imapd puts the server (CI installs it the same way). */
export const DOVECOT_BINARY = '/usr/sbin/dovecot';

/** Whether the real IMAP server is installed; specs skip (saying so once) when it is not. */
export const dovecotAvailable = existsSync(DOVECOT_BINARY);

export interface TestDovecot {
	host: string;
	port: number;
	user: string;
	password: string;
	/** `imap://user:pass@127.0.0.1:port/INBOX`, credentials URL-encoded. */
	url: string;
	/** With `{ tls: true }`: the implicit-TLS listener (`imaps://…`) and the self-signed certificate. */
	tls?: { url: string; port: number; ca: string };
	/** Store a raw message in a folder (APPEND through a connection of its own). */
	append(raw: string | Buffer, folder?: string): Promise<void>;
	/** The messages of a folder, oldest first (an absent folder is empty). */
	list(folder: string): Promise<{ uid: number; messageId: string; raw: string }[]>;
	/** Empty INBOX and delete every other folder (between tests). */
	reset(): Promise<void>;
	/** Stop the server (its sessions die with it); the mail stays for `start`. */
	stop(): Promise<void>;
	/** Start it again on the same port with the same mail. */
	start(): Promise<void>;
	/** Kill the IMAP session processes: their connections drop as when a server crashes. */
	dropSessions(): Promise<void>;
	/** Stop the server and remove every file it had. */
	close(): Promise<void>;
}

/**
 * A real Dovecot IMAP server on a free loopback port, with a throw-away configuration, one
 * passwd-file user and maildir storage, all in a temporary folder that `close` removes. Plain
 * authentication on loopback; with `tls`, a self-signed certificate serves imaps and STARTTLS.
 * Runs as the current user; as root, its helper processes run as dovenull/dovecot/nobody.
 */
export async function startDovecot(
	options: {
		tls?: boolean;
		/** Replaces the capabilities announced after login (e.g. to hide IDLE and MOVE). */
		capabilities?: string;
	} = {}
): Promise<TestDovecot> {
	const root = mkdtempSync(join(tmpdir(), 'dovecot-'));
	const owner = accounts();
	const user = 'support@example.test';
	// URL-reserved characters on purpose (the poller must decode them); passwd-file forbids ':'.
	const password = 's3cret p@ss/%1';
	const dirs = { run: join(root, 'run'), state: join(root, 'state'), mail: join(root, 'mail') };
	for (const dir of Object.values(dirs)) mkdirSync(dir);
	// Login and mail processes run as other users: they must reach the sockets and the mail.
	chmodSync(root, 0o755);
	chmodSync(dirs.run, 0o755);
	if (userInfo().uid === 0) chownSync(dirs.mail, owner.uid, owner.gid);
	writeFileSync(join(root, 'passwd'), `${user}:{PLAIN}${password}::::::\n`);
	const log = join(root, 'dovecot.log');
	let port = 0;
	let tlsPort = 0;
	const cert = join(root, 'cert.pem');
	try {
		if (options.tls) selfSigned(cert, join(root, 'key.pem'));
	} catch (error) {
		rmSync(root, { recursive: true, force: true });
		throw error;
	}
	const configure = () =>
		writeFileSync(
			join(root, 'dovecot.conf'),
			dovecotConfig({ root, dirs, log, port, tlsPort, cert, owner, ...options })
		);

	let child: ChildProcess | undefined;
	let exited = true;
	const launch = async () => {
		configure();
		const proc = spawn(DOVECOT_BINARY, ['-F', '-c', join(root, 'dovecot.conf')], {
			stdio: ['ignore', 'ignore', 'pipe'],
			// Its own process group, so that `stop` can take the sessions down with the master.
			detached: true
		});
		let stderr = '';
		proc.stderr!.on('data', (chunk) => (stderr += chunk));
		exited = false;
		proc.once('exit', () => (exited = true));
		child = proc;
		guard(proc.pid!);
		try {
			await waitForGreeting(port, () => exited, Date.now() + 30_000);
		} catch (error) {
			await halt();
			const tail = existsSync(log)
				? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')
				: '';
			throw new Error(`${(error as Error).message}\n${stderr}\n${tail}`, { cause: error });
		}
	};
	const halt = async () => {
		const proc = child;
		if (!proc || exited) return;
		const group = (signal: NodeJS.Signals) => {
			try {
				process.kill(-proc.pid!, signal);
			} catch {
				// already gone
			}
		};
		const gone = new Promise((resolve) => proc.once('exit', resolve));
		proc.kill('SIGTERM');
		const killer = setTimeout(() => group('SIGKILL'), 10_000);
		await gone;
		clearTimeout(killer);
		// Dovecot's session processes outlive the master by up to ~10 s (saying BYE): a stopped
		// server is one whose connections are gone, as after a crash or a reboot.
		group('SIGKILL');
	};

	// A spec that dies before its afterAll (a timeout, a killed worker) must not leave a server or
	// its files behind: a watchdog in a process of its own waits for our end of a pipe to close,
	// which happens however this process ends, then kills the server's process group.
	// Each launch sends the new server's pid; the last one is the one to kill.
	const watchdog = spawn(
		'sh',
		[
			'-c',
			`while read pid; do last=$pid; done; [ -n "$last" ] && kill -9 "-$last"; rm -rf '${root}'`
		],
		{ stdio: ['pipe', 'ignore', 'ignore'], detached: true }
	);
	watchdog.unref();
	(watchdog.stdin as unknown as { unref(): void }).unref();
	const guard = (pid: number) => watchdog.stdin!.write(`${pid}\n`);
	const lastResort = () => watchdog.stdin!.end();

	// A port another process grabbed between the probe and Dovecot's bind: try another one.
	for (let attempt = 1; ; attempt++) {
		port = await freePort();
		tlsPort = options.tls ? await freePort() : 0;
		try {
			await launch();
			break;
		} catch (error) {
			if (attempt >= 3) {
				lastResort();
				rmSync(root, { recursive: true, force: true });
				throw error;
			}
		}
	}

	const client = () =>
		new ImapFlow({
			host: '127.0.0.1',
			port,
			secure: false,
			auth: { user, pass: password },
			tls: options.tls ? { ca: readFileSync(cert, 'utf8') } : undefined,
			logger: false
		});
	const session = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
		const c = client();
		c.on('error', () => {});
		await c.connect();
		try {
			return await fn(c);
		} finally {
			await c.logout().catch(() => c.close());
		}
	};

	const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		url: `imap://${credentials}@127.0.0.1:${port}/INBOX`,
		tls: options.tls
			? {
					url: `imaps://${credentials}@127.0.0.1:${tlsPort}/INBOX`,
					port: tlsPort,
					ca: readFileSync(cert, 'utf8')
				}
			: undefined,
		append: (raw, folder = 'INBOX') =>
			session(async (c) => {
				if (folder !== 'INBOX') await c.mailboxCreate(folder);
				await c.append(folder, raw);
			}),
		list: (folder) =>
			session(async (c) => {
				const found = await c.list();
				if (!found.some((box) => box.path === folder)) return [];
				const lock = await c.getMailboxLock(folder, { readOnly: true });
				try {
					const messages = await c.fetchAll('1:*', { uid: true, source: true, envelope: true });
					return messages.map((m) => ({
						uid: m.uid,
						messageId: m.envelope?.messageId ?? '',
						raw: m.source?.toString('utf8') ?? ''
					}));
				} finally {
					lock.release();
				}
			}),
		reset: () =>
			session(async (c) => {
				for (const box of await c.list()) {
					if (box.path !== 'INBOX') await c.mailboxDelete(box.path);
				}
				const lock = await c.getMailboxLock('INBOX');
				try {
					if (c.mailbox && c.mailbox.exists) await c.messageDelete('1:*');
				} finally {
					lock.release();
				}
			}),
		stop: halt,
		start: launch,
		async dropSessions() {
			const master = child?.pid;
			if (!master || exited) return;
			const pids = sessionProcesses(master);
			if (!pids.length) throw new Error('no IMAP session to drop');
			for (const pid of pids) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch (err) {
					// Listed, then gone on its own (a login helper that finished): already dropped.
					if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
				}
			}
			// Gone once the master reaped them (bounded: the master reaps at once).
			const alive = (pid: number) => {
				try {
					process.kill(pid, 0);
					return true;
				} catch {
					return false;
				}
			};
			for (const deadline = Date.now() + 10_000; pids.some(alive);) {
				if (Date.now() > deadline) throw new Error('IMAP sessions outlived SIGKILL');
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
		async close() {
			await halt();
			rmSync(root, { recursive: true, force: true });
			lastResort();
		}
	};
}
