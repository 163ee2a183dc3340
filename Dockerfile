# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies into a virtual environment.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /venv
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install .
COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN DEBUG=0 STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles /venv/bin/python manage.py collectstatic --no-input

# Run stage: only the venv, the code and the collected static files; no compilers.
FROM python:3.11-slim-bookworm
ENV PATH="/venv/bin:$PATH" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STATIC_MANIFEST=1 STATIC_ROOT=/app/staticfiles DEBUG=0
# PostgreSQL's client tools for `manage.py backup` and `restore` (pg_dump, pg_restore); nginx
# in front of gunicorn (deploy/start, deploy/nginx.conf).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client nginx \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 iopfinder
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=iopfinder:iopfinder /app /app
# Callers' keys (CALLER_KEYS_PATH) and their backups: a volume of their own, never in the image.
RUN mkdir -p /app/var && chown iopfinder:iopfinder /app/var && chmod 700 /app/var
VOLUME ["/app/var"]
USER iopfinder
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
# nginx on port 8000 (LISTEN), buffering requests and answers for gunicorn's workers
# (iopfinder/gunicorn.conf.py) on a unix socket; TRUSTED_PROXY_COUNT=1 unless set.
CMD ["deploy/start"]
