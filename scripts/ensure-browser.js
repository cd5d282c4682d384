// `pretest`: makes sure a Chromium for Playwright exists. CHROMIUM_PATH, else /usr/bin/chromium;
// when neither exists: Debian as root → apt-get install chromium; elsewhere → Playwright's own
// download; else stop with a clear message.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
try {
	if (isRoot && hasApt) {
		console.log('Chromium not found: installing Debian’s chromium package…');
		execSync(
			'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
			{ stdio: 'inherit' }
		);
	} else {
		console.log('Chromium not found: trying `npx playwright install chromium`…');
		execSync('npx playwright install chromium', { stdio: 'inherit' });
		console.log('Set CHROMIUM_PATH to the installed browser if the tests cannot find it.');
	}
} catch {
	console.error(
		`No Chromium at ${path} and it could not be installed. Install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.`
	);
	process.exit(1);
}
if (isRoot && hasApt && !existsSync(path)) {
	console.error(`Installed chromium, but ${path} is still missing. Set CHROMIUM_PATH.`);
	process.exit(1);
}
