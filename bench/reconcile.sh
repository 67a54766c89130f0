#!/usr/bin/env bash
# Benchmark of `dibao reconcile` (release build) at the size of issue #4:
# 1,000,000 households from `dibao gen` with their bank rows and check-ins
# (the same data as bench/check.sh and bench/payroll.sh), writing every
# output: the reconciliation workbook, ledger.csv, ledger.parquet and
# manifest.json. Prints wall time, CPU time and peak memory of each run,
# then compares the ledger with gen's truth.csv (zero differences expected).
#
#   bench/reconcile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/dibao
data=target/bench
mkdir -p "$data"
[ -f "$data/csv-1m/roster.csv" ] || "$bin" gen --households 1000000 --seed 1 --anomalies 0.01 --out "$data/csv-1m" --force >/dev/null
for i in 1 2 3; do
  rm -rf "$data/reconcile-1m"
  # Problems (Luhn warnings, the injected unreadable rows) go to /dev/null.
  python3 bench/measure.py "reconcile 1M households (run $i)" -- "$bin" reconcile --month 2026-11 \
    --roster "$data/csv-1m/roster.csv" --bank "$data/csv-1m/bank.csv" --checkins "$data/csv-1m/checkins.csv" \
    --out "$data/reconcile-1m" -q
done
du -sh "$data/reconcile-1m"/* | sed 's/^/  /'
python3 bench/compare_truth.py "$data/reconcile-1m/ledger.csv" "$data/csv-1m/truth.csv"
