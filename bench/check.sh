#!/usr/bin/env bash
# Benchmark of `dibao check` (release build) at the sizes of issue #2:
# a 1,000,000-household roster CSV and a 200,000-household roster .xlsx,
# both from `dibao gen`. Prints wall time, CPU time and peak memory of each
# run (five and three runs: wall times vary on a shared 2-core machine).
#
#   bench/check.sh            # data in target/bench (kept between runs)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/dibao
data=target/bench
mkdir -p "$data"
[ -f "$data/csv-1m/roster.csv" ] || "$bin" gen --households 1000000 --seed 1 --anomalies 0.01 --out "$data/csv-1m" --force >/dev/null
[ -f "$data/xlsx-200k/roster.xlsx" ] || "$bin" gen --households 200000 --seed 1 --anomalies 0.01 --format xlsx --out "$data/xlsx-200k" --force >/dev/null
echo "roster.csv: $(du -h "$data/csv-1m/roster.csv" | cut -f1), roster.xlsx: $(du -h "$data/xlsx-200k/roster.xlsx" | cut -f1); $(nproc) cores"
for i in 1 2 3 4 5; do
  python3 bench/measure.py "check 1M-row roster.csv (run $i)" -- "$bin" check -q "$data/csv-1m/roster.csv"
done
for i in 1 2 3; do
  python3 bench/measure.py "check 200k-row roster.xlsx (run $i)" -- "$bin" check -q "$data/xlsx-200k/roster.xlsx"
done
python3 bench/measure.py "check 1M bank.csv + checkins.csv" -- "$bin" check -q "$data/csv-1m/bank.csv" "$data/csv-1m/checkins.csv"
