#!/usr/bin/env bash
# The user guide's pictures (docs/images/*.png), made from real outputs: PDF pages with pdftoppm,
# HTML pages with headless chromium, then reduced to 64 colours so each stays small.
# Usage: scripts/screenshots.sh OUT   (OUT: a folder where this script may run selfeval)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/screenshots.sh OUT}
IMG=docs/images
BIN=${SELFEVAL_BIN:-.venv/bin}
mkdir -p "$IMG" "$OUT"

"$BIN/selfeval" batch params/2023 --out "$OUT/reports" --formats html,pdf --quiet
"$BIN/selfeval" sample --projects 8 --year 2023 --out "$OUT/demo"
cp params/2023/*.yaml "$OUT/demo/2023/"
"$BIN/selfeval" batch "$OUT/demo/2023" --out "$OUT/demo-out" --formats html --quiet
"$BIN/selfeval" monitor tests/data/monitoring/seed-month7.yaml --month 7 --out "$OUT/monitoring" --formats pdf
"$BIN/selfeval" review tests/data/review/realistic_sichuan_cost.yaml --out "$OUT/review"

report="$OUT/reports/2023/dongqu-yjglj-ydhs/report.pdf"
page() {  # page() PDF PAGE NAME: one page at 60 dpi
  pdftoppm -png -r 60 -f "$2" -l "$2" -singlefile "$1" "$IMG/$3"
}
shot() {  # shot() HTML NAME WIDTH HEIGHT: the top of a page in headless chromium
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$3,$4" --screenshot="$IMG/$2.png" "file://$(realpath "$1")" 2>/dev/null
}
page "$report" 1 report-first-page
pages=$(pdfinfo "$report" | awk '/^Pages/ {print $2}')
annex=$(for p in $(seq 1 "$pages"); do pdftotext -f "$p" -l "$p" "$report" - | grep -q '^附件' && { echo "$p"; break; }; done)
page "$report" "${annex:-$pages}" report-annex-table
page "$OUT"/monitoring/2023/*/monitoring-07/*.pdf 1 monitoring-first-page
shot "$OUT/demo-out/2023/index.html" portfolio-index 1280 900
shot "$OUT/reports/2023/dongqu-yjglj-ydhs/checklist.html" checklist 1100 800
shot "$OUT/review/review.html" review 1280 900
"$BIN/python" - "$IMG" <<'PY'
import sys
from pathlib import Path
from PIL import Image
for png in Path(sys.argv[1]).glob("*.png"):
    image = Image.open(png).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(png, optimize=True)
PY
ls -l "$IMG"
