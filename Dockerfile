# Atlas web, worker and beat image (docker-compose.yml runs all three from it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ATLAS_DATA_DIR=/data \
    ATLAS_LOG_JSON=1

RUN useradd --create-home --uid 1000 atlas && mkdir -p /data/media && chown -R atlas:atlas /data
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=atlas:atlas . .
# Static files are collected into the image; WhiteNoise serves them. The key is only for this step.
RUN ATLAS_SECRET_KEY=collectstatic-only DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0 && chown -R atlas:atlas /data

USER atlas
EXPOSE 8000
CMD ["gunicorn", "atlas.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", \
     "--access-logfile", "-"]
