#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry at the pinned versions below.
# Nothing runs Node at run time: the files are committed under bangfu/static/vendor/.
set -euo pipefail
BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11
ECHARTS=6.0.0
TOM_SELECT=2.6.2

cd "$(dirname "$0")/.."
out=bangfu/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*.tgz -C "$1" && rm ./*.tgz); }
fetch bootstrap "$BOOTSTRAP"
fetch bootstrap-icons "$BOOTSTRAP_ICONS"
fetch htmx.org "$HTMX"
fetch echarts "$ECHARTS"
fetch tom-select "$TOM_SELECT"
rm -rf "$out" && mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts" "$out/htmx" "$out/echarts" "$out/tom-select"
cp "$tmp/bootstrap/package/dist/css/bootstrap.min.css" "$tmp/bootstrap/package/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$tmp/bootstrap-icons/package/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$tmp/bootstrap-icons/package/font/fonts/"*.woff* "$out/bootstrap-icons/fonts/"
cp "$tmp/htmx.org/package/dist/htmx.min.js" "$out/htmx/"
cp "$tmp/echarts/package/dist/echarts.min.js" "$out/echarts/"
# Tom Select (Apache-2.0): the complete build (its plugins include dropdown_input) and its Bootstrap 5 theme, with the licence.
cp "$tmp/tom-select/package/dist/js/tom-select.complete.min.js" "$tmp/tom-select/package/dist/css/tom-select.bootstrap5.min.css" \
  "$tmp/tom-select/package/LICENSE" "$out/tom-select/"
# The source maps are not vendored: drop the references to them (collectstatic's manifest would look for them).
find "$out" -name "*.js" -o -name "*.css" | xargs sed -i -E '/^\/[*\/]# sourceMappingURL=.*$/d; s#/\*\# sourceMappingURL=[^*]*\*/##'
cat > "$out/VERSIONS.md" <<TXT
# Vendored front-end files (refresh with \`make vendor\`)

| package | version | files |
|---|---|---|
| bootstrap | $BOOTSTRAP | bootstrap.min.css, bootstrap.bundle.min.js |
| bootstrap-icons | $BOOTSTRAP_ICONS | bootstrap-icons.min.css, fonts/ |
| htmx.org | $HTMX | htmx.min.js |
| echarts | $ECHARTS | echarts.min.js |
| tom-select | $TOM_SELECT | tom-select.complete.min.js, tom-select.bootstrap5.min.css, LICENSE |
TXT
echo "vendored into $out"
