#!/bin/sh
# One image, one process per container: the first argument names the role.
set -eu

case "${1:-web}" in
  web)
    # WSGI for the API and pages (see docs/benchmarks.md for why gunicorn gthread).
    exec gunicorn --config deploy/gunicorn.conf.py config.wsgi:application
    ;;
  asgi)
    # WebSockets only (/ws/); nginx routes nothing else here.
    exec daphne --bind 0.0.0.0 --port "${PORT:-8001}" --proxy-headers \
      --application-close-timeout 10 config.asgi:application
    ;;
  worker)
    exec celery --app config worker --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" --without-gossip --without-mingle
    ;;
  beat)
    exec celery --app config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule /tmp/celerybeat-schedule
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
