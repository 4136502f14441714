"""The service's own settings plus the baselines: what the server `make bench` starts runs.

The repository's root must be on PYTHONPATH (bench/backend.py sets it) so that `bench` is
importable; production never loads this module.
"""

from bookyourplace.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baselines"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
