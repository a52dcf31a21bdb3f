# The harness as a service: `docker compose up` runs it next to LocalStack (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# tesseract-ocr reads the text of image documents for the local Textract.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . && useradd --create-home --shell /usr/sbin/nologin harness
USER harness

EXPOSE 4566
CMD ["python", "-m", "harness", "serve", "--aws-endpoint", "http://localstack:4566", "--bind", "0.0.0.0", "--port", "4566"]
