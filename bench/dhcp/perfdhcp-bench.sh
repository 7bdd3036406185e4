#!/usr/bin/env bash
# DHCPv4 throughput of dhcp-service against Kea and dnsmasq, measured in one run on this machine
# with Kea's perfdhcp. Everything runs inside two network namespaces this script creates (perfdhcp
# acting as a relay in one, the server under test in the other) and deletes at the end; every
# load is bounded in rate, count and time.
#
#   sudo bench/dhcp/perfdhcp-bench.sh [RATE] [SECONDS]      (defaults: 3000 DORA/s for 10 s)
#   STORM=5000 sets the boot-storm size (perfdhcp --scenario avalanche).
#
# Needs: kea-admin (perfdhcp), kea-dhcp4-server, dnsmasq-base, and a packaged dhcp-service
# (./mvnw -pl dhcp-service -am package -DskipTests). Results: table on stdout, logs in bench/target.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RATE=${1:-3000}
SECS=${2:-10}
STORM=${STORM:-5000}
WORK=$ROOT/bench/target/dhcp-$(date +%Y%m%d-%H%M%S)
NS_S=wbench-s-$$ NS_C=wbench-c-$$
JAR=$ROOT/dhcp-service/target/quarkus-app/quarkus-run.jar
mkdir -p "$WORK"
for tool in perfdhcp kea-dhcp4 dnsmasq java; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[[ -f $JAR ]] || { echo "build dhcp-service first: $JAR is missing" >&2; exit 1; }

SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill -9 "$SERVER_PID" 2>/dev/null || true
  for ns in $NS_S $NS_C; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9; ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT

ip netns add "$NS_S"; ip netns add "$NS_C"
ip link add ws0 netns "$NS_S" type veth peer name wc0 netns "$NS_C"
for ns in $NS_S $NS_C; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" addr add 10.90.0.1/16 dev ws0; ip -n "$NS_S" link set ws0 up
ip -n "$NS_C" addr add 10.90.0.2/16 dev wc0; ip -n "$NS_C" link set wc0 up

in_s() { ip netns exec "$NS_S" "$@"; }

start_wings() {
  # shellcheck disable=SC2086  # WINGS_BENCH_JAVA_OPTS: extra JVM flags, e.g. a debug log level
  in_s java -Xmx512m ${WINGS_BENCH_JAVA_OPTS:-} -Djava.io.tmpdir="$WORK" -Dwings.site=bench -Dquarkus.http.port=18090 \
    -Dkafka.bootstrap.servers=127.0.0.1:1 -Dwings.dhcp.bind-address=0.0.0.0 -Dwings.dhcp.port=67 \
    -Dwings.dhcp.server-address=10.90.0.1 -Dwings.dhcp.data-dir="$WORK/wings-leases" \
    -Dwings.dhcp.subnets.bench.network=10.90.0.0/16 -Dwings.dhcp.subnets.bench.pools=10.90.1.0-10.90.250.255 \
    -jar "$JAR" >"$WORK/wings.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do in_s curl -sf 127.0.0.1:18090/q/health/live >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "dhcp-service did not start" >&2; return 1
}

start_kea() {
  cat >"$WORK/kea.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["ws0/10.90.0.1"], "dhcp-socket-type": "udp"},
  "lease-database": {"type": "memfile", "persist": true, "name": "$WORK/kea-leases.csv", "lfc-interval": 0},
  "multi-threading": {"enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 64},
  "valid-lifetime": 3600,
  "subnet4": [{"id": 1, "subnet": "10.90.0.0/16", "pools": [{"pool": "10.90.1.0 - 10.90.250.255"}]}],
  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "$WORK/kea.log"}], "severity": "WARN"}]
}}
JSON
  KEA_LOCKFILE_DIR=$WORK KEA_PIDFILE_DIR=$WORK in_s kea-dhcp4 -c "$WORK/kea.json" >"$WORK/kea.out" 2>&1 &
  SERVER_PID=$!
  sleep 2
}

start_dnsmasq() {
  # --no-ping: dnsmasq otherwise pings each address for up to 3 s before offering it.
  in_s dnsmasq --no-daemon --port=0 --interface=ws0 --bind-interfaces --dhcp-authoritative --no-ping \
    --dhcp-range=10.90.1.0,10.90.250.255,255.255.0.0,1h --dhcp-lease-max=200000 \
    --dhcp-leasefile="$WORK/dnsmasq.leases" >"$WORK/dnsmasq.log" 2>&1 &
  SERVER_PID=$!
  sleep 1
}

stop_server() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; sleep 1; }

rss_mib() { # the server's resident memory (the newest process of that name in the namespace)
  local pid; pid=$(ip netns pids "$NS_S" | xargs -r ps -o pid=,comm= -p | grep -E "$1" | tail -n 1 | awk '{print $1}')
  [[ -n $pid ]] && awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$pid/status" || echo "?"
}

perf() { # NAME ARGS... -> prints "rate drops% p50ms p99ms"
  local name=$1; shift
  ip netns exec "$NS_C" timeout $((SECS * 3 + 60)) perfdhcp -4 -l 10.90.0.2 "$@" 10.90.0.1 >"$WORK/$name.perf" 2>&1 || true
  awk '
    /^Rate:/ {rate=$2}
    /drops ratio:/ {gsub("%","",$3); if (drops=="") drops=$3}
    /avg delay:/ && p50=="" {p50=$3}
    /max delay:/ && p99=="" {p99=$3}
    END {printf "%s %s %s %s\n", (rate==""?"0":rate), (drops==""?"?":drops), (p50==""?"?":p50), (p99==""?"?":p99)}
  ' "$WORK/$name.perf"
}

storm() { # NAME -> seconds to lease STORM clients
  local name=$1 t0 t1
  t0=$(date +%s.%N)
  ip netns exec "$NS_C" timeout 300 perfdhcp -4 -l 10.90.0.2 --scenario avalanche -R "$STORM" 10.90.0.1 >"$WORK/$name.storm" 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}'
}

SERVERS=${SERVERS:-wings kea dnsmasq}
declare -A RES STORMRES MEM
for server in $SERVERS; do
  echo "== $server" >&2
  "start_$server"
  perf "$server-warmup" -r "$RATE" -p 5 -R 1000000 >/dev/null   # JIT warm-up; not reported
  RES[$server]=$(perf "$server" -r "$RATE" -p "$SECS" -R 1000000)
  MEM[$server]=$(rss_mib "java|kea-dhcp4|dnsmasq")
  stop_server
  rm -rf "$WORK/wings-leases" "$WORK/kea-leases.csv" "$WORK/dnsmasq.leases"
  "start_$server"
  STORMRES[$server]=$(storm "$server")
  [[ $server == wings ]] && in_s curl -s 127.0.0.1:18090/q/metrics >"$WORK/wings.metrics" 2>/dev/null
  stop_server
done

printf '\nperfdhcp %s DORA/s asked for %s s (relayed, 2 cores, load generator on the same cores); boot storm of %s clients\n\n' "$RATE" "$SECS" "$STORM"
printf '%-9s %12s %8s %12s %12s %10s %10s\n' server 'DORA/s' 'drops %' 'avg ms' 'max ms' 'storm s' 'RSS MiB'
for server in $SERVERS; do
  read -r rate drops p50 p99 <<<"${RES[$server]}"
  printf '%-9s %12s %8s %12s %12s %10s %10s\n' "$server" "$rate" "$drops" "$p50" "$p99" "${STORMRES[$server]}" "${MEM[$server]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
read -r w _ <<<"${RES[wings]:-0}"; read -r k _ <<<"${RES[kea]:-0}"; read -r d _ <<<"${RES[dnsmasq]:-0}"
printf '\nrate ratio: wings/kea %s, wings/dnsmasq %s; storm ratio (lower is better): wings/kea %s\n' \
  "$(ratio "$w" "$k")" "$(ratio "$w" "$d")" "$(ratio "${STORMRES[wings]:-0}" "${STORMRES[kea]:-0}")"
echo "logs: $WORK"
