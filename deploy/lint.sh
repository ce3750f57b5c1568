#!/usr/bin/env bash
# Lint the container files without a Docker engine: hadolint for the Dockerfile,
# `docker compose config` (or docker-compose's) for compose.yaml, and the
# Kubernetes manifests' shape (tests/ops/test_deploy_files.py checks the rest).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "hadolint deploy/Dockerfile"
.venv/bin/hadolint deploy/Dockerfile

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null; then
    echo "installing docker-compose (the client only, to validate compose.yaml)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 docker-compose >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
  fi
  compose=(docker-compose)
fi
echo "${compose[*]} config deploy/compose.yaml"
PLAUDIT_ENV_FILE=../.env.example SECRET_KEY=lint PLAUDIT_CODES_KEYS=lint \
  "${compose[@]}" -p plaudit -f deploy/compose.yaml config --quiet

echo "Kubernetes manifests"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/ops/test_deploy_files.py
