// Writes static/js/bundle/: each page's entry module with its whole static import graph in
// one file, the modules it imports later (import()) as chunks beside it, and manifest.json,
// which app/web/bundle.py reads to serve the bundle only while it matches the modules.
//
// Why: a slow link pays a round trip for every six requests over HTTP/1.1, and its
// throughput for every byte; the modules are ~60 requests and carry their comments. The
// modules stay the source (tests/js imports them; the server serves them whenever this
// bundle is stale or missing), so nothing here is edited by hand.
//
//   npm ci --prefix scripts/bundle && node scripts/bundle/build.mjs [--check]
//
// The notebook widget (static/js/widget/widget.js, app/notebook/) is built apart: anywidget
// loads its `_esm` from a blob URL, where no relative import or chunk can be fetched, so it
// is one file with no splitting (KaTeX in it), and its `_css` one file too: the page's CSS
// scoped under .bv-widget (a notebook is someone else's page: no `body`, `button` or `:root`
// rules of ours may reach it) and KaTeX's, its fonts inlined, so that it works offline.
//
// Entries: static/js/*main.js (one per page) and every *worker.js (a worker is its own
// module graph: `new Worker(new URL("./stream-worker.js", import.meta.url))` in a chunk of
// this folder finds the worker's bundle by the same name). Bundles sit one folder below
// static/js/, like the modules, so that every `new URL("../../…", import.meta.url)` holds.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const STATIC = join(ROOT, "static");
const JS = join(STATIC, "js");
const OUT = join(JS, "bundle");
const CHECK = process.argv.includes("--check");

/** Paths as the server names them: relative to static/, with "/". */
const staticPath = (file) => relative(STATIC, resolve(ROOT, file)).split("\\").join("/");

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return path === OUT ? [] : walk(path);
    return [path];
  });
}

const pages = readdirSync(JS).filter((f) => f.endsWith("main.js")).map((f) => join(JS, f));
const workers = walk(JS).filter((f) => f.endsWith("worker.js"));
const entryPoints = [...pages, ...workers].sort();

const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  // What the modules are written in (private fields, top-level await); nothing is lowered.
  target: "es2022",
  minify: true,
  legalComments: "linked", // (d3 has none: see credit() below)
  sourcemap: "linked",
  sourcesContent: false, // the maps point at the modules, which the server serves
  metafile: true,
  write: false,
  logLevel: "warning",
});

/** Every file to write, by its path under static/. */
const files = new Map(result.outputFiles.map((f) => [staticPath(f.path), f.text]));

// Each output that holds vendored code (d3) names it, its copyright and where its licence
// is served, on a first line of its own (the source map's mappings start one line later).
function credit(out) {
  const vendored = Object.keys(result.metafile.outputs[out].inputs).map(staticPath).filter((i) => i.startsWith("vendor/"));
  if (!vendored.length) return;
  const notes = vendored.sort().map((i) => {
    const [, lib, file] = i.split("/");
    const name = file.replace(/\.min\.mjs$|\.m?js$/, "");
    const licence = `vendor/${lib}/LICENSE-${name}`;
    const text = readFileSync(join(STATIC, licence), "utf8");
    const copyright = text.split("\n").filter((l) => l.startsWith("Copyright")).join(", ");
    return `${name} (${copyright}; licence: /static/${licence})`;
  });
  const path = staticPath(out);
  files.set(path, `/*! Includes ${notes.join("; ")} */\n` + files.get(path));
  const map = JSON.parse(files.get(path + ".map"));
  map.mappings = ";" + map.mappings;
  files.set(path + ".map", JSON.stringify(map));
}

// ---- the notebook widget -----------------------------------------------------------------

const WIDGET_ENTRY = join(JS, "widget", "widget.js");
const PAGE_CSS = ["app.css", "training.css", "matrix.css", "widget.css"].map((f) => join(STATIC, "css", f));
const KATEX_CSS = join(STATIC, "vendor", "katex", "katex.min.css");

// KaTeX's build is UMD, in a folder whose package.json says "module": given a `module` of its
// own it fills module.exports, which becomes the default export (widget.js imports it).
const umdAsModule = {
  name: "umd-as-module",
  setup(build) {
    build.onLoad({ filter: /vendor[\\/]katex[\\/]katex\.min\.js$/ }, (args) => ({
      contents: `const module = { exports: {} };\nconst exports = module.exports;\n${readFileSync(args.path, "utf8")}\nexport default module.exports;\n`,
      loader: "js",
    }));
  },
};

// The page's pictures named by `new URL("….svg", import.meta.url).href` (the brand's icon)
// become data URLs in the widget: from a blob URL there is nothing to fetch them from.
const svgInline = {
  name: "svg-inline",
  setup(build) {
    build.onLoad({ filter: /static[\\/]js[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const pattern = /new URL\("([^"]+\.svg)", import\.meta\.url\)\.href/g;
      if (!pattern.test(text)) return undefined;
      return {
        contents: text.replace(pattern, (_, rel) => {
          const svg = readFileSync(resolve(dirname(args.path), rel), "utf8").trim();
          return JSON.stringify("data:image/svg+xml," + encodeURIComponent(svg));
        }),
        loader: "js",
      };
    });
  },
};

const widgetJs = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: [WIDGET_ENTRY],
  bundle: true,
  splitting: false,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "inline",
  // A blob URL resolves no relative URL: the modules' other `new URL("…", import.meta.url)`
  // (the stream worker, KaTeX) get a base that does, and the widget loads neither (widget.js:
  // KaTeX is provided; the page's thread reads the streams, client.js).
  define: { "import.meta.url": JSON.stringify("https://backprop-viz.invalid/static/js/widget/widget.js") },
  plugins: [umdAsModule, svgInline],
  metafile: true,
  write: false,
  logLevel: "warning",
});

/** The page's CSS under .bv-widget: its :root and body rules become the widget's own element's. */
function scoped(css) {
  const text = css
    .replace(/:root(\[[^\]]*\])?\s+body\b/g, "&$1")
    .replace(/:root/g, "&")
    .replace(/^html, body\s*\{/m, "& {")
    .replace(/^(\s*)body\s*\{/gm, "$1& {");
  return `.bv-widget {\n${text}\n}\n`;
}

// KaTeX's fonts: woff2 only (every browser anywidget runs in reads it; the woff and ttf
// fallbacks are not vendored), inlined as data URLs.
// Its one rule on `body` (the equation counters) goes on the widget's box instead.
const katexCss = readFileSync(KATEX_CSS, "utf8")
  .replace(/,url\(fonts\/[^)]*\.(woff|ttf)\) format\("[a-z]+"\)/g, "")
  .replace(/(^|\})body\{/g, "$1.bv-widget{");
const widgetCss = await esbuild.build({
  absWorkingDir: ROOT,
  stdin: {
    contents: katexCss + "\n" + PAGE_CSS.map((f) => scoped(readFileSync(f, "utf8"))).join("\n"),
    loader: "css",
    resolveDir: dirname(KATEX_CSS),
    sourcefile: "widget.css",
  },
  bundle: true,
  loader: { ".woff2": "dataurl" },
  target: ["chrome100", "firefox100", "safari15"], // nesting lowered: .bv-widget button, …
  minify: true,
  metafile: true,
  write: false,
  logLevel: "warning",
});
const WIDGET_JS = staticPath(join(OUT, "widget.js"));
const WIDGET_CSS = staticPath(join(OUT, "widget.css"));
files.set(WIDGET_JS, widgetJs.outputFiles[0].text);
files.set(WIDGET_CSS, widgetCss.outputFiles[0].text);
const widgetSources = [
  ...Object.keys(widgetJs.metafile.inputs),
  ...Object.keys(widgetCss.metafile.inputs).filter((i) => i.endsWith(".woff2")), // (and the stdin above)
  ...PAGE_CSS.map((f) => relative(ROOT, f)),
  relative(ROOT, KATEX_CSS),
];

const sha256 = (file) => createHash("sha256").update(readFileSync(resolve(ROOT, file))).digest("hex");
const outputs = result.metafile.outputs;
const js = Object.keys(outputs).filter((o) => o.endsWith(".js")).sort();
js.forEach(credit);
/** Every output by the module it starts from (an entry, or a module imported by import()). */
const starts = {};
for (const o of js) if (outputs[o].entryPoint) starts[staticPath(outputs[o].entryPoint)] = staticPath(o);
const manifest = {
  generator: `esbuild ${esbuild.version}`,
  // The modules read, with their hashes: the bundle is served only while each one matches.
  sources: Object.fromEntries(Object.keys(result.metafile.inputs).sort().map((i) => [staticPath(i), sha256(i)])),
  starts,
  // Each output's static imports (every chunk to preload with it, transitively).
  imports: Object.fromEntries(js.map((o) => [
    staticPath(o),
    outputs[o].imports.filter((i) => i.kind === "import-statement").map((i) => staticPath(i.path)),
  ])),
  // The notebook widget's two files and what they are built from (app/notebook/ reads them).
  widget: {
    esm: WIDGET_JS,
    css: WIDGET_CSS,
    sources: Object.fromEntries([...new Set(widgetSources.map(staticPath))].sort().map((i) => [i, sha256(join(STATIC, i))])),
  },
};
files.set(staticPath(join(OUT, "manifest.json")), JSON.stringify(manifest, null, 1) + "\n");

if (CHECK) {
  // The bundle on disk against this build, file by file (tests/test_bundle.py).
  const onDisk = existsSync(OUT) ? walk(OUT).map(staticPath) : [];
  const problems = [
    ...[...files.keys()].filter((f) => !onDisk.includes(f)).map((f) => `missing: ${f}`),
    ...onDisk.filter((f) => !files.has(f)).map((f) => `not built any more: ${f}`),
    ...[...files].filter(([f, text]) => onDisk.includes(f) && readFileSync(join(STATIC, f), "utf8") !== text)
      .map(([f]) => `differs: ${f}`),
  ];
  if (problems.length) {
    console.error(`static/js/bundle/ is not what the modules build to (run node scripts/bundle/build.mjs):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`static/js/bundle/ is up to date: ${files.size} files from ${Object.keys(manifest.sources).length} modules`);
} else {
  rmSync(OUT, { recursive: true, force: true });
  for (const [f, text] of files) {
    mkdirSync(dirname(join(STATIC, f)), { recursive: true });
    writeFileSync(join(STATIC, f), text);
  }
  console.log(`${js.length} scripts, ${Object.keys(manifest.sources).length} modules → static/js/bundle/`);
}
