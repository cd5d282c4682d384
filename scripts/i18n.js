// `npm run i18n`: compiles messages/{locale}.json into src/lib/paraglide with the same options
// as the Vite plugin.
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
