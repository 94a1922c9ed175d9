#!/usr/bin/env bash
# test.sh runs the whole test suite: setup first (engine, fonts, build), then
# every package's tests against the real engine, on SQLite always and on
# PostgreSQL too when one answers (TEST_DATABASE_URL, or the local server on
# 127.0.0.1:5432 with database "test").
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/go.sh
if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
fi
echo "TEST_DATABASE_URL=${TEST_DATABASE_URL:-<unset: PostgreSQL tests skip>}" >&2
go vet ./...
go test -count=1 -timeout 15m "$@" ./...
