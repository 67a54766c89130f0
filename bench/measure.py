#!/usr/bin/env python3
"""Runs a command and prints its wall time and peak resident memory.

Usage: measure.py LABEL -- COMMAND [ARGS...]
Prints: LABEL: wall 1.23 s, cpu 1.20 s, peak RSS 123 MB, exit 0
"""
import resource
import subprocess
import sys
import time

label = sys.argv[1]
cmd = sys.argv[sys.argv.index("--") + 1:]
start = time.perf_counter()
proc = subprocess.run(cmd, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(f"{label}: wall {wall:.2f} s, cpu {cpu:.2f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB, exit {proc.returncode}")
