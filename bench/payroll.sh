#!/usr/bin/env bash
# Benchmark of `dibao payroll` (release build) at the size of issue #3:
# 1,000,000 households from `dibao gen` (the same data as bench/check.sh),
# writing every output: bank upload workbooks, the finance roster, the
# public notice, payroll.csv and manifest.json. Prints wall time, CPU time
# and peak memory of each run.
#
#   bench/payroll.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/dibao
data=target/bench
mkdir -p "$data"
[ -f "$data/csv-1m/roster.csv" ] || "$bin" gen --households 1000000 --seed 1 --anomalies 0.01 --out "$data/csv-1m" --force >/dev/null
for i in 1 2 3; do
  rm -rf "$data/payroll-1m"
  # Problems (Luhn warnings of the generated accounts) go to /dev/null.
  python3 bench/measure.py "payroll 1M households (run $i)" -- "$bin" payroll --month 2026-11 --roster "$data/csv-1m/roster.csv" --out "$data/payroll-1m" -q
done
du -sh "$data/payroll-1m"/* | sed 's/^/  /'
