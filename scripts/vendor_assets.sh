#!/usr/bin/env bash
# Vendor the front-end assets into peyvand/static/vendor/ from the npm registry, at pinned versions.
# The result is committed: the platform serves everything itself (no CDN, works on an intranet).
# Run: make vendor   (needs npm and the registry; nothing at run time needs either)
set -euo pipefail

BOOTSTRAP=5.3.8
HTMX=2.0.11          # 2.x on purpose: htmx 4.x is a breaking rewrite
ECHARTS=6.1.0
VAZIRMATN=33.0.3
JALALIDATEPICKER=0.9.6

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/peyvand/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION -> unpacked folder path
  local name=$1 version=$2 dir="$work/$(echo "$1" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
  echo "$dir/package"
}

rm -rf "$dest"
mkdir -p "$dest"/{bootstrap,htmx,echarts,vazirmatn,jalalidatepicker}

pkg=$(fetch bootstrap $BOOTSTRAP)
cp "$pkg"/dist/css/bootstrap.rtl.min.css "$pkg"/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp "$pkg"/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp "$pkg"/LICENSE "$dest/bootstrap/LICENSE"

pkg=$(fetch htmx.org $HTMX)
cp "$pkg"/dist/htmx.min.js "$dest/htmx/"
cp "$pkg"/LICENSE "$dest/htmx/LICENSE"

pkg=$(fetch echarts $ECHARTS)
cp "$pkg"/dist/echarts.min.js "$dest/echarts/"
cp "$pkg"/LICENSE "$dest/echarts/LICENSE"

pkg=$(fetch vazirmatn $VAZIRMATN)
mkdir -p "$dest/vazirmatn/fonts"
cp "$pkg"/fonts/webfonts/Vazirmatn-{Regular,Medium,Bold}.woff2 "$dest/vazirmatn/fonts/"
cp "$pkg"/fonts/ttf/Vazirmatn-{Regular,Bold}.ttf "$dest/vazirmatn/fonts/"
cp "$pkg"/OFL.txt "$dest/vazirmatn/OFL.txt"

pkg=$(fetch @majidh1/jalalidatepicker $JALALIDATEPICKER)
cp "$pkg"/dist/jalalidatepicker.min.js "$pkg"/dist/jalalidatepicker.min.css "$dest/jalalidatepicker/"
cp "$pkg"/LICENSE* "$dest/jalalidatepicker/" 2>/dev/null || true

# The packages point at source maps they do not ship with the minified files; under production settings
# the manifest storage follows every reference and collectstatic fails on the missing maps. Drop the comments.
find "$dest" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E \
  -e '\@^/\*# sourceMappingURL=[^ ]+ \*/$@d' -e '\@^//# sourceMappingURL=[^ ]+$@d' {} +
if grep -rl 'sourceMappingURL' "$dest"; then echo "a source-map reference is left (above)" >&2; exit 1; fi

cat > "$dest/VERSIONS.txt" <<VERSIONS
Vendored by scripts/vendor_assets.sh from the npm registry — do not edit by hand.
bootstrap $BOOTSTRAP
htmx.org $HTMX
echarts $ECHARTS
vazirmatn $VAZIRMATN
@majidh1/jalalidatepicker $JALALIDATEPICKER
VERSIONS
du -sh "$dest"/*
