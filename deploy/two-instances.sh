#!/usr/bin/env bash
# Two Reglament instances sharing one PostgreSQL database: the scale-out path, locally.
#   deploy/two-instances.sh [postgres://postgres@127.0.0.1:5432/reglament_pair]
# Starts both on 127.0.0.1:8081 and 127.0.0.1:8082 with the demo data; Ctrl-C stops both.
# A balancer (the nginx site with two `server` lines in its upstream) spreads users over them;
# live events, background jobs and the outbox are shared through the database; the data folder
# (attachments) is shared too, as a network file system would be between machines.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:-postgres://postgres@127.0.0.1:5432/reglament_pair}"
base="${url%/*}/postgres"
name="${url##*/}"
psql "$base" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
  || psql "$base" -c "CREATE DATABASE \"$name\""
cargo build --release -p server --bin reglament
secret="$(openssl rand -hex 32)"
dir="$(mktemp -d)"
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait; rm -rf "$dir"' EXIT INT TERM
for port in 8081 8082; do
  target/release/reglament --database-url "$url" --data-dir "$dir" --jwt-secret "$secret" \
    --bind "127.0.0.1:$port" --demo serve &
  pids+=("$!")
  # The first one migrates and seeds the database alone.
  sleep 3
done
wait
