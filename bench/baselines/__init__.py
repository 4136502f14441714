"""Minimal views that `make bench` compares ours against, on the same server in the same run.

Not part of the service: only the benchmark's settings (bench/settings.py) install this app
and its URLconf (bench/urls.py) mounts it under /bench-baseline/. They do the least a Django
view can do for the same job: a small template rendered from one query, and a booking that
only locks, counts and inserts.
"""
