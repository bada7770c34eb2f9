// Trunk post-build hook (release builds only): writes a brotli (.br, quality
// 11) and a gzip (.gz, level 9) copy beside every static file Trunk staged,
// so the server sends precompressed bytes chosen by Accept-Encoding.
// Usage: node scripts/compress-dist.mjs [dir]  (default: $TRUNK_STAGING_DIR)
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("compress-dist: no directory (argument or TRUNK_STAGING_DIR)");
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

const compressible = /\.(html|js|mjs|css|wasm|svg|json|txt|ico)$/;
function walk(d) {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (compressible.test(name)) {
      const raw = readFileSync(path);
      writeFileSync(
        path + ".br",
        brotliCompressSync(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
      );
      writeFileSync(path + ".gz", gzipSync(raw, { level: 9 }));
    }
  }
}
walk(dir);
