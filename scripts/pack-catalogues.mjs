// Trunk post-build hook (release builds only): each language's catalogue
// (locales/<tag>.json, keys and texts as translators keep them) becomes
// its texts alone, one per line in the file's order, which the browser reads
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

// The shared catalogues and a page's own (locales/<page>/<tag>.json).
const locales = join(dir, "locales");
const files = [];
for (const entry of readdirSync(locales, { withFileTypes: true })) {
  if (entry.isDirectory()) {
    const sub = join(locales, entry.name);
    for (const name of readdirSync(sub)) if (name.endsWith(".json")) files.push(join(sub, name));
  } else if (entry.name.endsWith(".json")) files.push(join(locales, entry.name));
}
// One text per line (no JSON quoting: a tenth less on the wire). A text
// never holds a line break (checked here). Polish `_other` forms are for
// fractions, which the product never counts: sent empty.
for (const path of files) {
  const raw = readFileSync(path, "utf8");
  if (!raw.startsWith("{")) continue; // packed already
  const polish = /(^|\/)pl\.json$/.test(path);
  const values = Object.entries(JSON.parse(raw)).map(([key, text]) => {
    if (text.includes("\n")) throw new Error(`${path}: ${key} holds a line break`);
    return polish && key.endsWith("_other") ? "" : text;
  });
  writeFileSync(path, values.join("\n"));
}
