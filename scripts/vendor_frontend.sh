#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry at the pinned versions below.
# Nothing runs Node at run time: the files are committed under bangfu/static/vendor/.
set -euo pipefail
BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11
ECHARTS=6.0.0

cd "$(dirname "$0")/.."
out=bangfu/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf ./*.tgz -C "$1" && rm ./*.tgz); }
fetch bootstrap "$BOOTSTRAP"
fetch bootstrap-icons "$BOOTSTRAP_ICONS"
fetch htmx.org "$HTMX"
fetch echarts "$ECHARTS"
rm -rf "$out" && mkdir -p "$out/bootstrap" "$out/bootstrap-icons/fonts" "$out/htmx" "$out/echarts"
cp "$tmp/bootstrap/package/dist/css/bootstrap.min.css" "$tmp/bootstrap/package/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$tmp/bootstrap-icons/package/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$tmp/bootstrap-icons/package/font/fonts/"*.woff* "$out/bootstrap-icons/fonts/"
cp "$tmp/htmx.org/package/dist/htmx.min.js" "$out/htmx/"
cp "$tmp/echarts/package/dist/echarts.min.js" "$out/echarts/"
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
TXT
echo "vendored into $out"
