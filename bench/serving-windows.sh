#!/usr/bin/env bash
# The serving rule's evaluation set (docs/benchmarks.md, "The serving rule at market peaks"): the
# bundled series cut to start later, each scored whole and in the 2008 and 2020 crash windows.
# Prints the published MASE (and DM) per cut and window, and each model's share of published bars.
# Usage: bash bench/serving-windows.sh   (from the repository, with Node 24 on the PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
cuts=$(mktemp -d)
trap 'rm -rf "$cuts"' EXIT
cut() { # <bundled file> <name> <first date or empty>
  { head -1 "$1"; awk -F, -v s="$3" 'NR > 1 && $1 >= s' "$1"; } > "$cuts/$2.csv"
}
cut data/sp500.csv sp500 ''
for start in 2002-10 2003-03 2009-03 2012-01 2016-02; do cut data/sp500.csv "sp500-from-$start" "$start"; done
cut data/aapl.csv aapl ''
for start in 2014-01 2016-01; do cut data/aapl.csv "aapl-from-$start" "$start"; done
published() { grep '^(published)' | awk '{print $5 " (DM " $6 ")"}'; }
for file in "$cuts"/*.csv; do
  name=$(basename "$file" .csv)
  table=$(node src/cli.ts evaluate --csv "$file" --symbol "$(tr a-z- A-Z_ <<< "$name")")
  line="$name: whole $(published <<< "$table")"
  for window in "2008-09-01 2008-12-31" "2020-02-15 2020-04-17"; do
    read -r from to <<< "$window"
    mase=$(node src/cli.ts evaluate --csv "$file" --symbol "$(tr a-z- A-Z_ <<< "$name")" --from "$from" --to "$to" 2> /dev/null | published || true)
    line="$line; ${from:0:4} window ${mase:-not covered}"
  done
  echo "$line; served $(grep -E '^(rls|rls-r1|median) ' <<< "$table" | awk '{printf "%s %s ", $1, $NF}')"
done
