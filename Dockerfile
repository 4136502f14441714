# syntax=docker/dockerfile:1
# Book Your Place: one image for the web and the worker (compose.yaml runs it as each;
# docs/deployment.md). It holds what `make setup` makes on a server: the stylesheet and
# scripts built by Node, the Python packages exactly as locked (every hash checked), the
# service itself; and it starts scripts/serve.sh, as `make serve` does.
#
#   docker build -t bookyourplace .
#   docker run --env-file bookyourplace.env -p 127.0.0.1:8000:8000 bookyourplace          # web and worker
#   docker run --env-file bookyourplace.env bookyourplace worker                           # workers only

# --- 1. The stylesheet and scripts (make assets) ------------------------------------------
FROM node:22-trixie-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets ./assets
COPY scripts/build-assets.mjs ./scripts/build-assets.mjs
RUN node scripts/build-assets.mjs

# --- 2. The Python packages as locked (make setup): no compiler needed, all are wheels -----
FROM python:3.13-slim-trixie AS packages
RUN python -m venv /app/.venv
COPY requirements/production.txt /tmp/production.txt
RUN /app/.venv/bin/python -m pip install --no-cache-dir --upgrade pip \
 && /app/.venv/bin/python -m pip install --no-cache-dir --require-hashes -r /tmp/production.txt

# --- 3. The service ---------------------------------------------------------------------------
FROM python:3.13-slim-trixie
# WeasyPrint's libraries (certificates, sign-in sheets, the printed programme, the report PDF)
# and the fonts the PDFs name (Liberation has Arial's metrics); the PostgreSQL client for
# backups and scripts/restore-drill.sh (its major version must be at least the server's).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation postgresql-client \
 && rm -rf /var/lib/apt/lists/*
# Not root: the service owns nothing but its var/ folder.
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin bookyourplace
WORKDIR /app
COPY --from=packages /app/.venv /app/.venv
COPY manage.py pyproject.toml ./
COPY src ./src
COPY scripts ./scripts
COPY demo ./demo
COPY --from=assets /app/build/static ./build/static
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LANG=C.UTF-8 \
    BYP_VAR_DIR=/app/var \
    BIND=0.0.0.0:8000 \
    LOG_FORMAT=json
# Static files collected into the image (serve.sh collects again at start, finding them there).
RUN mkdir -p /app/var \
 && SECRET_KEY=only-for-collecting-static-files ALLOWED_HOSTS=localhost \
    /app/.venv/bin/python manage.py collectstatic --no-input -v 0 \
 && rm -f /app/var/bookyourplace.sqlite3* \
 && chown -R bookyourplace:bookyourplace /app/var
USER bookyourplace
EXPOSE 8000
# scripts/serve.sh [all|web|worker|setup]: web and worker together unless told.
ENTRYPOINT ["scripts/serve.sh"]
CMD ["all"]
