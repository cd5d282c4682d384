// Module resolution for the import-loop check (.dependency-cruiser.cjs), in webpack's format:
// the `$lib` alias as Vite resolves it.
const path = require('node:path');

module.exports = { resolve: { alias: { $lib: path.join(__dirname, '..', 'src/lib') } } };
