// Trunk post-build hook (release builds only): each language's catalogue
// (locales/<tag>.json, keys and texts as translators keep them) becomes
// its texts alone, an array in the file's order, which the browser reads
// by position (src/i18n.rs: the files are kept in catalogue order, a unit
// test checks it). The keys were a tenth of every page's bytes.
// Usage: node scripts/pack-catalogues.mjs [dir]  (default: $TRUNK_STAGING_DIR)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("pack-catalogues: no directory (argument or TRUNK_STAGING_DIR)");
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

const locales = join(dir, "locales");
for (const name of readdirSync(locales).filter((n) => n.endsWith(".json"))) {
  const path = join(locales, name);
  const texts = JSON.parse(readFileSync(path, "utf8"));
  if (Array.isArray(texts)) continue; // packed already
  writeFileSync(path, JSON.stringify(Object.values(texts)));
}
