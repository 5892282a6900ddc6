#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379 (the one the redis tests use by default).
# - port open and answering PING: nothing to do;
# - port closed: start the installed redis-server (daemonized, no persistence);
# - redis-server missing: install it with apt-get first.
# Idempotent and quiet on success; exits non-zero with a message saying what failed.
set -euo pipefail

HOST=127.0.0.1
PORT="${REDIS_PORT:-6379}"  # override only to test this script on another port

fail() {
  echo "ensure-redis: $*" >&2
  exit 1
}

# Answers PING? Uses redis-cli when present, else bash's /dev/tcp.
redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT" && printf 'PING\r\n' >&3 && IFS= read -r -t 2 reply <&3 && [[ "$reply" == +PONG* ]]) \
      2>/dev/null
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

if redis_answers; then
  exit 0
fi
if port_open; then
  fail "something listens on $HOST:$PORT but does not answer PING like Redis (a password? another service?)"
fi

if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "redis-server is not installed and there is no root or sudo to install it"
    SUDO="sudo"
  fi
  log="$(mktemp)"
  if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y redis-server; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "installing redis-server with apt-get failed (output above)"
  fi
  rm -f "$log"
  command -v redis-server >/dev/null 2>&1 || fail "apt-get installed redis-server but it is not on PATH"
fi

if ! redis-server --daemonize yes --bind "$HOST" --port "$PORT" --save "" --appendonly no >/dev/null 2>&1; then
  fail "redis-server failed to start on $HOST:$PORT"
fi

for _ in $(seq 1 50); do
  if redis_answers; then
    exit 0
  fi
  sleep 0.1
done
fail "started redis-server, but nothing answers PING on $HOST:$PORT after 5 s"
