# Image for web, worker and beat (docker-compose.yml). Front-end assets are built in a Node stage.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
COPY scripts/build_assets.sh ./scripts/
RUN scripts/build_assets.sh

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends procps postgresql-client libpango-1.0-0 libpangoft2-1.0-0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY scripts/requirements.py ./scripts/
RUN pip install --no-cache-dir -c constraints.txt $(python scripts/requirements.py)
COPY . .
COPY --from=assets /app/static ./static
RUN DJANGO_ENV=production SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input
RUN useradd --create-home partnership && mkdir -p /data/media && chown partnership /data/media
USER partnership
EXPOSE 8000
