// Trunk post-build hook (release builds only): wasm-bindgen names each
// function the wasm imports from its JS glue after the function and a hash
// (`__wbg_new_with_byte_offset_and_length_3cd32055a417f095`); a page has
// two hundred of them, written twice (the wasm's import section and the
// glue), and the hashes do not compress: about 5 KB of every page on the
// wire. Each becomes a short name (`w0`, `w1`, …) in both files. The
// functions the wasm exports to its glue are renamed the same way (`x0`, …):
// a closure's export is named after its whole Rust signature, hashes
// included (`wasm_bindgen_b7f2…___convert__closures_____invoke___…`), read
// by the glue as `wasm.<name>` (and by a wrapper function of that name).
// Only the wasm's import and export sections and whole words of the glue
// change; an import the glue does not hold, or a short name it holds
// already, is an error (nothing is written).
// Usage: node scripts/shorten-imports.mjs [dir]  (default: $TRUNK_STAGING_DIR)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("shorten-imports: no directory (argument or TRUNK_STAGING_DIR)");
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

function uleb(buf, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}
function encode(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
}

/** The export section (`start`..`end`) with every long name renamed in `names`. */
function shortenExports(wasm, start, end, names) {
  const kept = new Set();
  let [count, r] = uleb(wasm, start);
  const body = [encode(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, r] = uleb(wasm, r);
    const field = wasm.subarray(r, r + len).toString("utf8");
    r += len;
    const desc = r;
    r++; // kind
    [, r] = uleb(wasm, r);
    let name = field;
    // Long plain names only (a name with other characters stays as it is).
    if (field.length > 8 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) && !field.startsWith("_WASM_SPLIT")) {
      name = `x${names.size.toString(36)}`;
      names.set(field, name);
    } else {
      kept.add(field);
    }
    body.push(encode(Buffer.byteLength(name)), Buffer.from(name), wasm.subarray(desc, r));
  }
  if (r !== end) throw new Error("shorten-imports: the export section did not read to its end");
  for (const short of names.values()) {
    if (kept.has(short)) throw new Error(`shorten-imports: an export is named ${short} already`);
  }
  return Buffer.concat(body);
}

/** The wasm with its `__wb…` imports and long exports renamed, and the names' maps. */
function shortenWasm(wasm) {
  const names = new Map();
  const exported = new Map();
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = uleb(wasm, at + 1);
    const end = start + size;
    if (id === 7) {
      const section = shortenExports(wasm, start, end, exported);
      parts.push(Buffer.from([7]), encode(section.length), section);
      at = end;
      continue;
    }
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, r] = uleb(wasm, start);
    const body = [encode(count)];
    for (let i = 0; i < count; i++) {
      const moduleStart = r;
      let len;
      [len, r] = uleb(wasm, r);
      r += len;
      const module = wasm.subarray(moduleStart, r);
      [len, r] = uleb(wasm, r);
      const field = wasm.subarray(r, r + len).toString("utf8");
      r += len;
      const desc = r;
      const kind = wasm[r++];
      if (kind === 0) [, r] = uleb(wasm, r); // function: type index
      else if (kind === 1 || kind === 2) {
        if (kind === 1) r++; // table: element type
        const flags = wasm[r++];
        [, r] = uleb(wasm, r);
        if (flags & 1) [, r] = uleb(wasm, r);
      } else if (kind === 3) r += 2; // global: type, mutability
      else throw new Error(`shorten-imports: unknown import kind ${kind}`);
      let name = field;
      if (field.startsWith("__wb")) {
        if (!names.has(field)) names.set(field, `w${names.size.toString(36)}`);
        name = names.get(field);
      }
      body.push(module, encode(Buffer.byteLength(name)), Buffer.from(name), wasm.subarray(desc, r));
    }
    if (r !== end) throw new Error("shorten-imports: the import section did not read to its end");
    const section = Buffer.concat(body);
    parts.push(Buffer.from([2]), encode(section.length), section);
    at = end;
  }
  return [Buffer.concat(parts), names, exported];
}

// A build stages one wasm and its glue (the one .js that names its imports).
for (const name of readdirSync(dir).filter((n) => n.endsWith("_bg.wasm"))) {
  const wasmPath = join(dir, name);
  const [wasm, names, exported] = shortenWasm(readFileSync(wasmPath));
  if (names.size === 0) continue; // shortened already
  const first = names.keys().next().value;
  const jsName = readdirSync(dir).find((n) => n.endsWith(".js") && readFileSync(join(dir, n), "utf8").includes(first));
  if (!jsName) throw new Error(`shorten-imports: no JS glue for ${name}`);
  const jsPath = join(dir, jsName);
  let js = readFileSync(jsPath, "utf8");
  for (const [long, short] of names) {
    const word = new RegExp(`\\b${long}\\b`, "g");
    if (!word.test(js)) throw new Error(`shorten-imports: ${long} is not in ${jsName}`);
    js = js.replace(word, short);
  }
  for (const [long, short] of exported) {
    // The glue reads it as `wasm.<name>` and may wrap it in a function of
    // the same name: every whole word becomes the short name, which must be
    // new to the glue. A function the glue itself exports (a
    // `#[wasm_bindgen] pub fn`'s JS name) keeps its name: then only
    // `wasm.<name>` changes.
    const word = (w) => new RegExp(`(?<![\\w$])${w}(?![\\w$])`, "g");
    if (word(short).test(js)) throw new Error(`shorten-imports: ${short} is in ${jsName} already`);
    const public_ = new RegExp(`export\\s+function\\s+${long}\\b|export\\s*\\{[^}]*\\b${long}\\b`).test(js);
    js = public_ ? js.replace(new RegExp(`\\bwasm\\.${long}(?![\\w$])`, "g"), `wasm.${short}`) : js.replace(word(long), short);
    if (new RegExp(`\\bwasm\\.${long}(?![\\w$])`).test(js)) throw new Error(`shorten-imports: wasm.${long} is still in ${jsName}`);
  }
  writeFileSync(wasmPath, wasm);
  writeFileSync(jsPath, js);
}
