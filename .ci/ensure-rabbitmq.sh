#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers on 127.0.0.1:5672 (the default AMQP_URL of the rabbitmq tests):
#   port open                 → nothing to do;
#   rabbitmq-server installed → start it (`rabbitmq-server -detached`) and wait until it is up;
#   not installed             → install Debian's rabbitmq-server package first.
# Idempotent and quiet on success (VERBOSE=1 narrates); exits non-zero with a clear message otherwise.
# It never stops or reconfigures a running broker.
set -euo pipefail

HOST=127.0.0.1
PORT="${RABBITMQ_PORT:-5672}"
WAIT_SECONDS="${RABBITMQ_WAIT_SECONDS:-90}"

say() { if [ "${VERBOSE:-0}" = 1 ]; then echo "ensure-rabbitmq: $*" >&2; fi; }
fail() {
  echo "ensure-rabbitmq: error: $*" >&2
  exit 1
}
port_open() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    fail "root is needed to run '$*' (run this script as root or with passwordless sudo)"
  fi
}
server_installed() { command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; }
wait_for_port() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    port_open && return 0
    sleep 1
  done
  return 1
}

port_open && exit 0

if ! server_installed; then
  say "installing rabbitmq-server from the Debian packages"
  command -v apt-get >/dev/null 2>&1 || fail "rabbitmq-server is not installed and apt-get is not available"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 ||
    fail "apt-get update failed (is the Debian mirror reachable?)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null 2>&1 ||
    fail "apt-get install -y rabbitmq-server failed"
  server_installed || fail "rabbitmq-server is still missing after apt-get install"
fi

# A fresh install gets the settings msgport relies on; an existing configuration is left alone.
if [ ! -e /etc/rabbitmq/rabbitmq.conf ]; then
  say "writing /etc/rabbitmq/rabbitmq.conf"
  as_root mkdir -p /etc/rabbitmq
  printf '%s\n' \
    "listeners.tcp.default = $HOST:$PORT" \
    '# above the 12 h maximum SQS visibility timeout (the broker closes channels holding a delivery longer)' \
    'consumer_timeout = 43500000' | as_root tee /etc/rabbitmq/rabbitmq.conf >/dev/null
fi

# The package's install scripts may have started the service already.
wait_for_port 3 && exit 0

say "starting rabbitmq-server -detached"
as_root rabbitmq-server -detached >/dev/null 2>&1 || fail "rabbitmq-server -detached failed to start"
if ! wait_for_port "$WAIT_SECONDS"; then
  fail "RabbitMQ did not open $HOST:$PORT within $WAIT_SECONDS s; see /var/log/rabbitmq/"
fi
# The listener opens late in the boot; make sure the node finished starting before tests connect.
as_root timeout "$WAIT_SECONDS" rabbitmqctl await_startup >/dev/null 2>&1 || say "rabbitmqctl await_startup did not confirm the boot"
port_open || fail "RabbitMQ stopped answering on $HOST:$PORT right after it started"
say "RabbitMQ is up on $HOST:$PORT"
