#!/usr/bin/env bash
# Herald local Kafka cluster: N combined broker+controller KRaft nodes on loopback, each one a
# tools/kafka/kafka.sh node in its own directory, sharing one resolved jar set and cluster id.
# Broker defaults and internal topics are replicated N ways with min.insync.replicas N-1.
#
# Usage: tools/kafka/cluster.sh {start|stop|status|reset|brokers|controller}
#        tools/kafka/cluster.sh {start-node|stop-node|kill-node} <id>
# Env:   HERALD_HOME (default <repo>/.herald; the cluster lives in $HERALD_HOME/kafka-cluster),
#        KAFKA_NODES (3), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093): node i listens on
#        KAFKA_PORT + 2(i-1) and KAFKA_CONTROLLER_PORT + 2(i-1). KAFKA_START_TIMEOUT (180),
#        KAFKA_VERSION as for kafka.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
KAFKA_SH="$SCRIPT_DIR/kafka.sh"
HERALD_HOME="${HERALD_HOME:-$REPO_ROOT/.herald}"
[[ "$HERALD_HOME" == /* ]] || HERALD_HOME="$PWD/$HERALD_HOME"
KAFKA_NODES="${KAFKA_NODES:-3}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
CLUSTER_HOME="$HERALD_HOME/kafka-cluster"
# Three JVMs forming a quorum on a small machine start slower than one.
export KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
LIB_DIR="$CLUSTER_HOME/lib"

log() { printf '[cluster.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ "$KAFKA_NODES" =~ ^[1-9]$ ]] || die "KAFKA_NODES must be 1-9, got $KAFKA_NODES"

broker_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }
node_ids() { seq 1 "$KAFKA_NODES"; }

voters() {
  local i out=()
  for i in $(node_ids); do out+=("$i@127.0.0.1:$(controller_port "$i")"); done
  (IFS=,; echo "${out[*]}")
}

# Runs kafka.sh as node $1 of the cluster.
node_sh() {
  local id="$1"
  shift
  # Expanded first: a prefix assignment (KAFKA_CONTROLLER_PORT=...) would change what follows.
  local port controller_port voters id_of_cluster
  port="$(broker_port "$id")"
  controller_port="$(controller_port "$id")"
  voters="$(voters)"
  id_of_cluster="$(cluster_id)"
  HERALD_HOME="$CLUSTER_HOME/node-$id" KAFKA_LIB_DIR="$LIB_DIR" KAFKA_NODE_ID="$id" \
    KAFKA_PORT="$port" KAFKA_CONTROLLER_PORT="$controller_port" \
    KAFKA_QUORUM_VOTERS="$voters" KAFKA_CLUSTER_ID="$id_of_cluster" KAFKA_REPLICATION="$KAFKA_NODES" \
    bash "$KAFKA_SH" "$@"
}

cluster_id() {
  if [[ ! -s "$CLUSTER_HOME/cluster.id" ]]; then
    mkdir -p "$CLUSTER_HOME"
    # A KRaft cluster id: 16 random bytes, URL-safe base64 without padding.
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$CLUSTER_HOME/cluster.id"
  fi
  cat "$CLUSTER_HOME/cluster.id"
}

check_node() { [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= KAFKA_NODES)) || die "node id must be 1-$KAFKA_NODES, got '${1:-}'"; }

cmd_start() {
  mkdir -p "$CLUSTER_HOME"
  HERALD_HOME="$CLUSTER_HOME" KAFKA_LIB_DIR="$LIB_DIR" bash "$KAFKA_SH" fetch
  cluster_id >/dev/null
  # In parallel: a node is ready only once a majority of the controllers have formed a quorum.
  local i pids=() failed=0
  for i in $(node_ids); do
    node_sh "$i" start &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  ((failed == 0)) || { cmd_stop; die "the cluster did not start"; }
  log "$KAFKA_NODES nodes ready: $(cmd_brokers)"
}

cmd_stop() {
  local i pids=()
  for i in $(node_ids); do
    node_sh "$i" stop &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || true; done
}

cmd_status() {
  local i rc=0
  for i in $(node_ids); do
    printf 'node %s: %s\n' "$i" "$(node_sh "$i" status 2>/dev/null || true)"
    node_sh "$i" status >/dev/null 2>&1 || rc=1
  done
  return "$rc"
}

cmd_brokers() {
  local i out=()
  for i in $(node_ids); do out+=("127.0.0.1:$(broker_port "$i")"); done
  (IFS=,; echo "${out[*]}")
}

# The node that most recently became the active controller (highest epoch in the node logs).
cmd_controller() {
  local i line epoch best=-1 id=""
  for i in $(node_ids); do
    line="$(grep -ho 'Becoming the active controller at epoch [0-9]*' "$CLUSTER_HOME/node-$i/kafka/kafka.log" 2>/dev/null | tail -n1 || true)"
    epoch="${line##* }"
    [[ "$epoch" =~ ^[0-9]+$ ]] && ((epoch > best)) && { best="$epoch"; id="$i"; }
  done
  [[ -n "$id" ]] || die "no node has logged becoming the active controller"
  echo "$id"
}

cmd_reset() {
  cmd_stop
  log "deleting the nodes' data and the cluster id"
  local i
  for i in $(node_ids); do rm -rf "$CLUSTER_HOME/node-$i/kafka/data"; done
  rm -f "$CLUSTER_HOME/cluster.id"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  brokers) cmd_brokers ;;
  controller) cmd_controller ;;
  start-node) check_node "${2:-}"; node_sh "$2" start ;;
  stop-node) check_node "${2:-}"; node_sh "$2" stop ;;
  kill-node) check_node "${2:-}"; node_sh "$2" kill ;;
  *)
    echo "usage: $0 {start|stop|status|reset|brokers|controller|start-node <id>|stop-node <id>|kill-node <id>}" >&2
    exit 2
    ;;
esac
