#!/bin/sh
# Prints the path of a Python 3.12 or newer, or explains what is missing and fails.
# PYTHON=/path/to/python overrides the search.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON" || echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not Python 3.12 or newer." >&2; exit 1
fi
candidates=""
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])' | sort -rV); do
    candidates="$candidates $(pyenv prefix "$v" 2>/dev/null)/bin/python3"
  done
fi
for name in python3.14 python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates="$candidates $p"
done
for p in /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  candidates="$candidates $p"
done
for p in $candidates; do
  if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
done
echo "Book Your Place needs Python 3.12 or newer (Django 6 requires it) and none was found." >&2
echo "Install one (for example 'apt-get install python3.12' or 'pyenv install 3.13') or run with PYTHON=/path/to/python3.12." >&2
exit 1
