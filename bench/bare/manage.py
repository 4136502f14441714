#!/usr/bin/env python
"""The bare Django project's manage.py (bench/bare): `make bench` runs its migrate and data commands."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bareproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
