"""Minimal views that `make bench` compares ours against, on the same server in the same run.

Mounted under /bench-baseline/ only when the setting BYP_BENCH_BASELINES is on (off by
default, never in production). They do the least a Django view can do for the same job:
a small template rendered from one query, and a booking that only locks, counts and inserts.
"""
