// Settings the portal's Node process takes only when it starts (glibc reads MALLOC_ARENA_MAX at
// its first allocation, V8 sizes its young generation when it creates the heap), so the portal
// cannot set them itself. `npm start` (package.json) passes the same; so does `npm run bench`.
// README "Performance" says what each saves (bench/HISTORY.md: how it was measured).
/**
 * glibc malloc. MALLOC_ARENA_MAX: memory libvips frees goes back to 2 arenas instead of one per
 * thread. MALLOC_MMAP_THRESHOLD_ (128 KB, glibc's own starting value): every larger block
 * (libvips' image buffers, upload buffers) gets its own mapping, returned to the system when
 * freed; by default glibc raises the threshold after the first large free, and the heap then kept
 * 60–90 MB of image buffers after each burst of uploads (peak RSS under the benchmark's load
 * 272 → 238 MB with it).
 */
export const NODE_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
/**
 * V8's young generation: 2 × 4 MB semi-spaces instead of 2 × 16 MB. `--heap-growing-percent=50`:
 * the old generation may grow to 1.5× what survived the last full collection before the next one
 * (V8 allows up to 4× when collections are quick, so a 50 MB live heap sat in 160+ MB under
 * load; same throughput, measured). `--expose-gc`: the portal asks for a full collection after
 * every 64 MB of request bodies (src/lib/server/http/gc-nudge).
 */
export const NODE_ARGS = ['--max-semi-space-size=4', '--heap-growing-percent=50', '--expose-gc'];
