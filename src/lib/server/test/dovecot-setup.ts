import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

// The pieces of the test Dovecot (see ./dovecot.ts) that do not depend on a running server.

// Names Dovecot needs for its unprivileged processes. As root (CI) it refuses root for mail
// processes, so those run as `nobody`; as any other user everything runs as that user.
export function accounts() {
	const me = userInfo();
	if (me.uid !== 0) return { login: me.username, internal: me.username, uid: me.uid, gid: me.gid };
	const id = (flag: '-u' | '-g', name: string) => {
		const out = spawnSync('id', [flag, name], { encoding: 'utf8' });
		return out.status === 0 ? Number(out.stdout.trim()) : undefined;
	};
	const exists = (name: string) => id('-u', name) !== undefined;
	const uid = id('-u', 'nobody') ?? 65534;
	const gid = id('-g', 'nobody') ?? 65534;
	return {
		login: exists('dovenull') ? 'dovenull' : 'nobody',
		internal: exists('dovecot') ? 'dovecot' : 'nobody',
		uid,
		gid
	};
}

/** A throw-away self-signed certificate for 127.0.0.1 (openssl, as Debian ships it). */
export function selfSigned(cert: string, key: string) {
	const out = spawnSync(
		'openssl',
		['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
			.concat(['-subj', '/CN=localhost', '-days', '2', '-keyout', key, '-out', cert])
			.concat(['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']),
		{ encoding: 'utf8' }
	);
	if (out.status !== 0) throw new Error(`openssl could not make a certificate: ${out.stderr}`);
	chmodSync(key, 0o644); // read by Dovecot's config process, which may not run as us
}

/** The `imap` session processes Dovecot's master forked (from /proc: no procps needed). */
export function sessionProcesses(master: number): number[] {
	return readdirSync('/proc').flatMap((entry) => {
		if (!/^\d+$/.test(entry)) return [];
		try {
			// "pid (comm) state ppid …"; comm may hold spaces, so split after its closing paren
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			return comm === 'imap' && ppid === master ? [Number(entry)] : [];
		} catch {
			return []; // exited meanwhile
		}
	});
}

export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** Resolves once the server sends its `* OK` greeting, or rejects at the deadline. */
export async function waitForGreeting(port: number, exited: () => boolean, deadline: number) {
	while (Date.now() < deadline) {
		if (exited()) throw new Error('dovecot exited during start-up');
		const greeted = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			const done = (ok: boolean) => {
				socket.destroy();
				resolve(ok);
			};
			socket.setTimeout(2000, () => done(false));
			socket.once('data', (chunk) => done(chunk.toString().startsWith('* OK')));
			socket.once('error', () => done(false));
		});
		if (greeted) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`dovecot did not greet on port ${port} in time`);
}

/** The throw-away configuration: one passwd-file user, maildir, loopback listeners only. */
export function dovecotConfig(o: {
	root: string;
	dirs: { run: string; state: string; mail: string };
	log: string;
	port: number;
	tlsPort: number;
	cert: string;
	owner: ReturnType<typeof accounts>;
	tls?: boolean;
	capabilities?: string;
}): string {
	return `
base_dir = ${o.dirs.run}
state_dir = ${o.dirs.state}
instance_name = test-${o.port}
log_path = ${o.log}
protocols = imap
${o.capabilities ? `imap_capability = ${o.capabilities}` : ''}
listen = 127.0.0.1
${o.tls ? `ssl = yes\nssl_cert = <${o.cert}\nssl_key = <${join(o.root, 'key.pem')}` : 'ssl = no'}
disable_plaintext_auth = no
auth_mechanisms = plain login
# Wrong-password tests should not wait out Dovecot's brute-force delays.
auth_failure_delay = 0
default_login_user = ${o.owner.login}
default_internal_user = ${o.owner.internal}
first_valid_uid = ${Math.min(o.owner.uid, 500)}
first_valid_gid = 0
mail_location = maildir:${o.dirs.mail}/%n
mail_uid = ${o.owner.uid}
mail_gid = ${o.owner.gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(o.root, 'passwd')}
}
userdb {
  driver = static
  args = uid=${o.owner.uid} gid=${o.owner.gid} home=${o.dirs.mail}/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${o.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${o.tlsPort}
  }
  chroot =
}
service anvil {
  chroot =
  # Dovecot's documented switch for its per-IP brute-force penalty (every test is 127.0.0.1).
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}
