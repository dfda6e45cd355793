#!/usr/bin/env bash
# Checks observability/prometheus with Prometheus's own promtool: `check rules` (syntax,
# templates) and `test rules` (the alert unit tests in herald-alerts.test.yml).
#
# promtool comes from PROMTOOL if set, else from PATH, else it is built once from the
# Prometheus Go module (v0.54.1 = Prometheus 2.54.1; needs Go, fetches modules through the Go
# module proxy, takes several minutes) into $HERALD_HOME/promtool. `go install …@version`
# cannot build it: the module carries replace directives, so it is built inside the module.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${HERALD_HOME:-$root/.herald}"
version="v0.54.1"

promtool="${PROMTOOL:-$(command -v promtool || true)}"
if [[ -z "$promtool" ]]; then
  promtool="$home/promtool/promtool-$version"
  if [[ ! -x "$promtool" ]]; then
    command -v go >/dev/null || { echo "check-rules: promtool not found and Go is not installed to build it" >&2; exit 1; }
    echo "check-rules: building promtool $version (once) into $home/promtool ..." >&2
    mkdir -p "$home/promtool"
    work="$(mktemp -d)"
    trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
    export GOPATH="$home/promtool/gopath" GOFLAGS=-mod=mod
    dir="$(go mod download -json "github.com/prometheus/prometheus@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
    (cd "$work/src" && go build -o "$promtool" ./cmd/promtool)
  fi
fi

cd "$root/observability/prometheus"
"$promtool" check rules herald-alerts.rules.yml
"$promtool" test rules herald-alerts.test.yml
