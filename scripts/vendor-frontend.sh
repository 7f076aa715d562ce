#!/bin/sh
# Refresh static/vendor/ from node_modules (run `npm ci` first, or `npm run vendor` after it).
# The page loads these files as they are: no CDN at run time, no build step.
#   d3: the ES-module builds (dist/*.min.mjs) of only the modules the page uses,
#       with their bare imports ("d3-selection") rewritten to relative paths, so that the
#       page needs no import map: an inline script a Content-Security-Policy of
#       script-src 'self' would block.
#   KaTeX: the minified script and stylesheet plus its woff2 fonts (every browser that runs
#       ES modules reads woff2, so the woff/ttf fallbacks are never requested).
set -eu
cd "$(dirname "$0")/.."
[ -d node_modules ] || { echo "node_modules/ missing: run 'npm ci' first" >&2; exit 1; }

D3_MODULES="d3-color d3-dispatch d3-ease d3-interpolate d3-selection d3-timer d3-transition"
VENDOR=static/vendor

rm -rf "$VENDOR/d3" "$VENDOR/katex"
mkdir -p "$VENDOR/d3" "$VENDOR/katex/fonts"

for m in $D3_MODULES; do
    sed -E 's#from"(d3-[a-z]+)"#from"./\1.min.mjs"#g' "node_modules/$m/dist/$m.min.mjs" > "$VENDOR/d3/$m.min.mjs"
    cp "node_modules/$m/LICENSE" "$VENDOR/d3/LICENSE-$m"
done

cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css "$VENDOR/katex/"
cp node_modules/katex/dist/fonts/*.woff2 "$VENDOR/katex/fonts/"
cp node_modules/katex/LICENSE "$VENDOR/katex/LICENSE"

# The API docs' viewers (/docs, /redoc): their VERSION notes are kept, not regenerated.
for d in swagger-ui redoc; do
    find "$VENDOR/$d" -type f ! -name VERSION -delete 2>/dev/null || mkdir -p "$VENDOR/$d"
done
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    cp "node_modules/swagger-ui-dist/$f" "$VENDOR/swagger-ui/"
done
cp node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt \
    node_modules/redoc/LICENSE "$VENDOR/redoc/"
# ReDoc loads its menu logo from its CDN: an empty inline SVG instead (see redoc/VERSION).
sed -i 's|https://cdn.redoc.ly/redoc/logo-mini.svg|data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E|' \
    "$VENDOR/redoc/redoc.standalone.js"

# A record of what is vendored, read by humans (and checked by the browser tests).
node -e '
const fs = require("fs");
const lines = [];
for (const m of process.argv.slice(1)) {
  const p = JSON.parse(fs.readFileSync(`node_modules/${m}/package.json`, "utf8"));
  lines.push(`${p.name} ${p.version} ${p.license}`);
}
fs.writeFileSync("static/vendor/VERSIONS.txt", lines.join("\n") + "\n");
' $D3_MODULES katex
cat "$VENDOR/VERSIONS.txt"
