# Kravlotsen: slim Python image with Debian's Pango and fonts for WeasyPrint, run as non-root.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    KRAVLOTSEN_ENV=production \
    KRAVLOTSEN_VAR_DIR=/app/var

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --upgrade pip && pip install -e .
COPY alembic.ini babel.cfg ./
COPY migrations ./migrations
COPY wizard_steps ./wizard_steps
COPY requirement_library ./requirement_library
COPY templates ./templates
COPY examples ./examples

RUN useradd --create-home --uid 10001 kravlotsen && mkdir -p /app/var \
    && chown -R kravlotsen:kravlotsen /app/var
USER kravlotsen

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

# Serves only: migrations are their own step (`docker run ... python -m app migrate`), run
# once before the web containers start, however many there are.
ENV WEB_WORKERS=2
CMD ["sh", "-c", "exec python -m app serve --host 0.0.0.0 --port 8000 --workers \"$WEB_WORKERS\""]
