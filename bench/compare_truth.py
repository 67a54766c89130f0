#!/usr/bin/env python3
"""Compares a reconciliation ledger.csv with `dibao gen`'s truth.csv row by
row: household_id, status, checkin, flags, actions, expected, paid and the
bank row numbers (from the ledger's `source`). Prints the number of
differences (and the first few); exits 1 when there is any.

Usage: compare_truth.py LEDGER_CSV TRUTH_CSV
"""
import csv
import sys

ledger_path, truth_path = sys.argv[1], sys.argv[2]
FIELDS = ["household_id", "status", "checkin", "flags", "actions", "expected", "paid"]
diffs = 0
rows = 0
with open(ledger_path, newline="", encoding="utf-8") as lf, open(truth_path, newline="", encoding="utf-8") as tf:
    ledger, truth = list(csv.DictReader(lf)), list(csv.DictReader(tf))
    if len(ledger) != len(truth):
        diffs += 1
        print(f"  ledger has {len(ledger)} rows, truth {len(truth)}")
    for got, want in zip(ledger, truth):
        rows += 1
        bank_rows = ";".join(s.rsplit("!", 1)[1] for s in got["source"].split(";") if "!" in s)
        pairs = [(f, got[f], want[f]) for f in FIELDS] + [("bank_rows", bank_rows, want["bank_rows"])]
        for field, g, w in pairs:
            if g != w:
                diffs += 1
                if diffs <= 10:
                    print(f"  row {rows + 1} {want['household_id']} {field}: ledger {g!r}, truth {w!r}")
print(f"ledger vs truth: {rows} rows compared, {diffs} differences")
sys.exit(1 if diffs else 0)
