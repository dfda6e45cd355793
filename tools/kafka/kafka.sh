#!/usr/bin/env bash
# Herald local Kafka: a real single-node Apache Kafka broker (KRaft, combined
# broker+controller) whose jars Maven resolves from Maven Central via ./pom.xml.
# Kafka 4.x by default; KAFKA_VERSION=3.9 runs the supported 3.9 line instead.
#
# Usage: tools/kafka/kafka.sh {fetch|start|wait|stop|kill|restart|status|reset|logs}
# Env:   HERALD_HOME (default <repo>/.herald), KAFKA_VERSION (4 | 3.9), KAFKA_PORT (9092),
#        KAFKA_CONTROLLER_PORT (9093), KAFKA_START_TIMEOUT (60),
#        KAFKA_STOP_TIMEOUT (20), KAFKA_HEAP_OPTS, KAFKA_JIT (c1 | tiered), KAFKA_JVM_OPTS, KAFKA_MVN_ARGS.
#        One node of a cluster (tools/kafka/cluster.sh sets these): KAFKA_NODE_ID (1),
#        KAFKA_QUORUM_VOTERS, KAFKA_CLUSTER_ID, KAFKA_REPLICATION (1), KAFKA_LIB_DIR.
# See README.md beside this file.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

HERALD_HOME="${HERALD_HOME:-$REPO_ROOT/.herald}"
[[ "$HERALD_HOME" == /* ]] || HERALD_HOME="$PWD/$HERALD_HOME" # the broker runs with cwd=$KAFKA_HOME
KAFKA_VERSION="${KAFKA_VERSION:-4}"
case "$KAFKA_VERSION" in
  4 | 4.*) KAFKA_PROFILE=kafka-4 ;;
  3.9 | 3.9.*) KAFKA_PROFILE=kafka-3.9 ;;
  *) printf '[kafka.sh] error: KAFKA_VERSION=%s is not supported (use 4 or 3.9)\n' "$KAFKA_VERSION" >&2; exit 2 ;;
esac
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOST="127.0.0.1"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-20}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
# -XX:-UsePerfData: no hsperfdata sampler thread waking 20 times a second (jps/jstat then do not see it).
# No safepoint every second with nothing to clean up, and idle monitors deflated every 10 s, not
# 4 times a second (diagnostic flags; a JVM without them ignores them).
# KAFKA_JIT=c1 (the default): C1 only (TieredStopAtLevel=1), for brokers that live minutes (tests,
# npm start): C2 kept compiling for minutes after start, over half the broker's CPU at 45 events/s in
# a fresh stack. KAFKA_JIT=tiered: the JVM's default (C1 then C2), as production brokers run; once
# warm, C2 code serves the same requests for about 30% less CPU (npm run bench uses it).
case "${KAFKA_JIT:-c1}" in
  c1) KAFKA_JIT_OPTS="-XX:TieredStopAtLevel=1 " ;;
  tiered) KAFKA_JIT_OPTS="" ;;
  *) printf '[kafka.sh] error: KAFKA_JIT=%s is not supported (use c1 or tiered)\n' "$KAFKA_JIT" >&2; exit 2 ;;
esac
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-${KAFKA_JIT_OPTS}-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:-UsePerfData -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=10000 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
# Extra args for mvn, e.g. KAFKA_MVN_ARGS="-Dmaven.repo.local=/tmp/m2" or "-o".
KAFKA_MVN_ARGS="${KAFKA_MVN_ARGS:-}"

KAFKA_NODE_ID="${KAFKA_NODE_ID:-1}"
KAFKA_QUORUM_VOTERS="${KAFKA_QUORUM_VOTERS:-$KAFKA_NODE_ID@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT}"
# Replication of the broker's defaults and internal topics; min.insync.replicas follows (RF - 1).
KAFKA_REPLICATION="${KAFKA_REPLICATION:-1}"
KAFKA_MIN_ISR=$((KAFKA_REPLICATION > 1 ? KAFKA_REPLICATION - 1 : 1))

KAFKA_HOME="$HERALD_HOME/kafka"
LIB_DIR="${KAFKA_LIB_DIR:-$KAFKA_HOME/lib}"
LIB_STAMP="$LIB_DIR/.pom.sha256"
CONFIG_DIR="$KAFKA_HOME/config"
SERVER_PROPS="$CONFIG_DIR/server.properties"
LOG4J_PROPS="$CONFIG_DIR/log4j.properties"
TOOLS_LOG4J_PROPS="$CONFIG_DIR/tools-log4j.properties"
LOG4J2_PROPS="$CONFIG_DIR/log4j2.properties"
TOOLS_LOG4J2_PROPS="$CONFIG_DIR/tools-log4j2.properties"
DATA_DIR="$KAFKA_HOME/data"
CLUSTER_ID_FILE="$KAFKA_HOME/cluster.id"
LOG_FILE="$KAFKA_HOME/kafka.log"
PID_FILE="$KAFKA_HOME/kafka.pid"
LOCK_FILE="$KAFKA_HOME/.lock"

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- helpers

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH${2:+ ($2)}"; }

# The stamp names the profile too: switching KAFKA_VERSION re-resolves (from ~/.m2).
pom_sha() { printf '%s %s\n' "$(sha256sum "$POM" | cut -d' ' -f1)" "$KAFKA_PROFILE"; }

# Serialise start/stop/fetch/reset across concurrent callers. fd 9 must never
# leak into the broker (it would hold the lock forever): the launch closes it.
with_lock() {
  mkdir -p "$KAFKA_HOME"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 300 9 || die "timed out waiting for lock $LOCK_FILE"
  fi
}

port_open() { # port -> 0 if something accepts TCP connections on 127.0.0.1:port
  timeout 2 bash -c "exec 3<>/dev/tcp/$KAFKA_HOST/$1" >/dev/null 2>&1
}

# The pid from the pid file, if that process is alive and really is our broker
# (guards against a stale pid file whose pid was reused by something else).
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    local cmd
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *kafka.Kafka* && "$cmd" == *"$SERVER_PROPS"* ]] || return 1
  fi
  printf '%s\n' "$pid"
}

is_running() { broker_pid >/dev/null; }

java_cp() { printf '%s/*' "$LIB_DIR"; }

# The broker version the resolved jars hold (kafka_2.13-<version>.jar).
jar_version() {
  local jar
  jar="$(compgen -G "$LIB_DIR/kafka_2.13-*.jar" | head -n1)"
  jar="${jar##*/kafka_2.13-}"
  printf '%s\n' "${jar%.jar}"
}

# The logging flag for the resolved jars: log4j2 (Kafka 4) or reload4j (3.9).
log_opt() { # broker|tools
  local v2="$LOG4J2_PROPS" v1="$LOG4J_PROPS"
  [[ "$1" == tools ]] && { v2="$TOOLS_LOG4J2_PROPS"; v1="$TOOLS_LOG4J_PROPS"; }
  if compgen -G "$LIB_DIR/log4j-core-2*.jar" >/dev/null; then
    printf -- '-Dlog4j2.configurationFile=%s' "$v2"
  else
    printf -- '-Dlog4j.configuration=file:%s' "$v1"
  fi
}

# ---------------------------------------------------------------- fetch

lib_fresh() {
  [[ -f "$LIB_STAMP" ]] && [[ "$(cat "$LIB_STAMP")" == "$(pom_sha)" ]] &&
    compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null
}

cmd_fetch() {
  if lib_fresh; then
    log "jars up to date in $LIB_DIR"
    return 0
  fi
  need mvn "install Maven 3.6.3+"
  need java "install a JDK 17+"
  log "resolving Kafka jars from $POM, profile $KAFKA_PROFILE (Maven, cached in ~/.m2) ..."
  mkdir -p "$KAFKA_HOME"
  local tmp="$KAFKA_HOME/lib.tmp.$$"
  rm -rf "$tmp"
  local mvn_log="$KAFKA_HOME/mvn.log"
  # Output goes to a file (Maven 3.8 prints ANSI resets even with -B -q) and is
  # shown only on failure.
  # shellcheck disable=SC2086 # KAFKA_MVN_ARGS is intentionally word-split
  if ! mvn -B -q -f "$POM" -P"$KAFKA_PROFILE" $KAFKA_MVN_ARGS \
      dependency:copy-dependencies -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    cat "$mvn_log" >&2
    rm -rf "$tmp"
    die "maven could not resolve $POM (see above / $mvn_log)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || { rm -rf "$tmp"; die "no kafka_2.13 jar resolved"; }
  pom_sha >"$tmp/.pom.sha256"
  # Swap in atomically-ish so an old jar set never mixes with a new one.
  rm -rf "$LIB_DIR.old"
  [[ -d "$LIB_DIR" ]] && mv "$LIB_DIR" "$LIB_DIR.old"
  mv "$tmp" "$LIB_DIR"
  rm -rf "$LIB_DIR.old"
  log "$(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $LIB_DIR"
}

# ---------------------------------------------------------------- config

write_log4j2() { # file target root-level [logger set to WARN ...]
  local file="$1" target="$2" level="$3" i=0 name
  shift 3
  {
    printf '%s\n' '# Generated by tools/kafka/kafka.sh.' 'status = warn' \
      'appender.console.type = Console' 'appender.console.name = CONSOLE' \
      "appender.console.target = $target" 'appender.console.layout.type = PatternLayout' \
      'appender.console.layout.pattern = [%d] %p %m (%c)%n' \
      "rootLogger.level = $level" 'rootLogger.appenderRef.console.ref = CONSOLE'
    for name in "$@"; do
      i=$((i + 1))
      printf 'logger.l%d.name = %s\nlogger.l%d.level = WARN\n' "$i" "$name" "$i"
    done
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

write_config() {
  mkdir -p "$CONFIG_DIR" "$DATA_DIR"
  cat >"$SERVER_PROPS.tmp" <<EOF
# Generated by tools/kafka/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=$KAFKA_NODE_ID
controller.quorum.voters=$KAFKA_QUORUM_VOTERS
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
default.replication.factor=$KAFKA_REPLICATION
min.insync.replicas=$KAFKA_MIN_ISR
auto.create.topics.enable=false
offsets.topic.replication.factor=$KAFKA_REPLICATION
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$KAFKA_REPLICATION
transaction.state.log.min.isr=$KAFKA_MIN_ISR
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
# After an unclean stop (kill -9) the restarted controller refuses the broker's
# re-registration until the old registration's session expires (default 9s).
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
delete.topic.enable=true
log.segment.bytes=16777216
log.retention.hours=168
# Sized for a 2-core development box, idle most of the time (issue 20); production brokers are
# the platform's, not this file's. Threads: enough for the bench's peak on 2 cores.
num.network.threads=2
num.io.threads=2
background.threads=2
# One group-coordinator shard (offsets.topic.num.partitions=1): one thread is enough (default 4).
group.coordinator.threads=1
group.coordinator.background.threads=1
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
# Housekeeping that wakes the broker: rarer than the defaults (none of it is on a request's path).
# The active controller appends a no-op metadata record this often when nothing changes (500 ms).
metadata.max.idle.interval.ms=10000
replica.high.watermark.checkpoint.interval.ms=30000
log.flush.offset.checkpoint.interval.ms=120000
log.flush.start.offset.checkpoint.interval.ms=120000
log.retention.check.interval.ms=300000
log.cleaner.backoff.ms=30000
transaction.abort.timed.out.transaction.cleanup.interval.ms=60000
producer.id.expiration.check.interval.ms=600000
EOF
  mv "$SERVER_PROPS.tmp" "$SERVER_PROPS"

  # Everything goes to stdout, which start redirects into kafka.log.
  cat >"$LOG4J_PROPS.tmp" <<'EOF'
# Generated by tools/kafka/kafka.sh.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.Target=System.out
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.clients.NetworkClient=WARN
EOF
  mv "$LOG4J_PROPS.tmp" "$LOG4J_PROPS"

  # For StorageTool: warnings only, to stderr.
  cat >"$TOOLS_LOG4J_PROPS.tmp" <<'EOF'
# Generated by tools/kafka/kafka.sh.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  mv "$TOOLS_LOG4J_PROPS.tmp" "$TOOLS_LOG4J_PROPS"

  # The same for log4j2 (Kafka 4.x).
  write_log4j2 "$LOG4J2_PROPS" SYSTEM_OUT INFO \
    kafka.request.logger kafka.network.RequestChannel\$ kafka.log.LogCleaner state.change.logger \
    kafka.authorizer.logger org.apache.kafka.clients.NetworkClient
  write_log4j2 "$TOOLS_LOG4J2_PROPS" SYSTEM_ERR WARN
}

cluster_id() {
  local id="${KAFKA_CLUSTER_ID:-}"
  [[ -z "$id" && -s "$CLUSTER_ID_FILE" ]] && id="$(tr -d '[:space:]' <"$CLUSTER_ID_FILE")"
  if [[ -z "$id" && -f "$DATA_DIR/meta.properties" ]]; then
    id="$(sed -n 's/^cluster\.id=//p' "$DATA_DIR/meta.properties" | tr -d '[:space:]')"
  fi
  if [[ -z "$id" ]]; then
    id="$(java -cp "$(java_cp)" "$(log_opt tools)" \
      kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]')"
    [[ -n "$id" ]] || die "could not generate a cluster id"
  fi
  printf '%s\n' "$id" >"$CLUSTER_ID_FILE"
  printf '%s\n' "$id"
}

format_storage() {
  local line_file="$DATA_DIR/.herald-kafka-profile"
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    # A 3.9 broker cannot read metadata a 4.x broker wrote (upgrades 3.9 -> 4 are fine).
    if [[ "$KAFKA_PROFILE" == kafka-3.9 && "$(cat "$line_file" 2>/dev/null || echo kafka-4)" != kafka-3.9 ]]; then
      die "$DATA_DIR was formatted by Kafka 4; KAFKA_VERSION=3.9 needs its own HERALD_HOME (or kafka.sh reset)"
    fi
    return 0
  fi
  local id
  id="$(cluster_id)"
  log "formatting $DATA_DIR (cluster id $id)"
  local out
  if ! out="$(java -cp "$(java_cp)" "$(log_opt tools)" \
    kafka.tools.StorageTool format --ignore-formatted -t "$id" -c "$SERVER_PROPS" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "storage format failed"
  fi
  printf '%s\n' "$KAFKA_PROFILE" >"$line_file"
}

# ---------------------------------------------------------------- wait

cmd_wait() {
  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! is_running; then
      log "broker is not running (it exited?). Tail of $LOG_FILE:"
      tail -n 60 "$LOG_FILE" >&2 2>/dev/null || true
      return 1
    fi
    if grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null && port_open "$KAFKA_PORT"; then
      log "broker ready on $KAFKA_HOST:$KAFKA_PORT (pid $(broker_pid))"
      return 0
    fi
    sleep 0.5
  done
  log "broker not ready after ${KAFKA_START_TIMEOUT}s. Tail of $LOG_FILE:"
  tail -n 60 "$LOG_FILE" >&2 2>/dev/null || true
  return 1
}

# ---------------------------------------------------------------- start/stop

launch() {
  rm -f "$PID_FILE"
  # Fresh log per run, so readiness never matches a previous run's line.
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  : >"$LOG_FILE"
  local setsid=()
  command -v setsid >/dev/null 2>&1 && setsid=(setsid)
  # shellcheck disable=SC2086 # heap/jvm opts are intentionally word-split
  (
    cd "$KAFKA_HOME"
    exec 9>&- # do not leak the lock fd into the broker
    # The inner bash writes its own pid, then execs java: the pid file holds
    # the JVM's pid whether or not setsid had to fork.
    # shellcheck disable=SC2016
    exec "${setsid[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
      java $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS \
      "$(log_opt broker)" \
      -Dkafka.logs.dir="$KAFKA_HOME" \
      -cp "$(java_cp)" kafka.Kafka "$SERVER_PROPS"
  ) </dev/null >>"$LOG_FILE" 2>&1 &
  local _
  for _ in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || die "broker did not write $PID_FILE"
  log "started Kafka $(jar_version) broker pid $(cat "$PID_FILE"), log $LOG_FILE"
}

cmd_start() {
  with_lock
  local pid
  if pid="$(broker_pid)"; then
    if port_open "$KAFKA_PORT"; then
      log "already running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT"
      return 0
    fi
    log "pid $pid alive but port $KAFKA_PORT not answering yet; waiting"
    cmd_wait
    return
  fi
  if [[ -f "$PID_FILE" ]]; then
    log "removing stale pid file $PID_FILE"
    rm -f "$PID_FILE"
  fi
  need java "install a JDK 17+"
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "port $KAFKA_HOST:$p is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
    fi
  done
  cmd_fetch
  write_config
  format_storage
  launch
  if ! cmd_wait; then
    log "start failed; stopping the half-started broker"
    stop_broker || true
    return 1
  fi
}

stop_broker() {
  local pid
  if ! pid="$(broker_pid)"; then
    [[ -f "$PID_FILE" ]] && { log "removing stale pid file"; rm -f "$PID_FILE"; }
    log "not running"
    return 0
  fi
  log "stopping broker pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still alive after ${KAFKA_STOP_TIMEOUT}s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    local _
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

cmd_stop() {
  with_lock
  stop_broker
}

# SIGKILL, for fault injection (a crash, no clean shutdown).
cmd_kill() {
  local pid
  if pid="$(broker_pid)"; then
    log "SIGKILL broker pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    local _
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    if port_open "$KAFKA_PORT"; then
      echo "running (pid $pid, $KAFKA_HOST:$KAFKA_PORT, HERALD_HOME=$HERALD_HOME)"
    else
      echo "running (pid $pid, starting: $KAFKA_HOST:$KAFKA_PORT not answering yet)"
    fi
    return 0
  fi
  echo "stopped"
  return 1
}

cmd_reset() {
  with_lock
  stop_broker
  log "deleting $DATA_DIR and $CLUSTER_ID_FILE"
  rm -rf "$DATA_DIR" "$CLUSTER_ID_FILE"
}

usage() {
  cat >&2 <<EOF
usage: $0 {fetch|start|wait|stop|kill|restart|status|reset|logs}
  fetch    resolve the pinned Kafka jars (KAFKA_VERSION: 4 default, or 3.9) into \$HERALD_HOME/kafka/lib
  start    fetch if needed, format storage once, start the broker, wait until ready
  wait     wait until the broker is ready (KAFKA_START_TIMEOUT, default 60s)
  stop     SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT (default 20s)
  kill     SIGKILL at once (fault injection)
  restart  stop, then start
  status   print running/stopped; exit 0 if running, 1 if not
  reset    stop and delete the data dir (topics, offsets, cluster id)
  logs     print the path of the broker log
HERALD_HOME=$HERALD_HOME KAFKA_VERSION=$KAFKA_VERSION KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT
EOF
}

main() {
  local cmd="${1:-}"
  case "$cmd" in
    fetch) with_lock; cmd_fetch ;;
    start) cmd_start ;;
    wait) cmd_wait ;;
    stop) cmd_stop ;;
    kill) cmd_kill ;;
    restart) cmd_stop; exec 9>&-; cmd_start ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    logs) echo "$LOG_FILE" ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
