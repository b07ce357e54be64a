#!/usr/bin/env bash
# Starts a throw-away S3-compatible server for the tests: Debian's OpenStack Swift with the s3api
# middleware and memcached (tempauth needs it even for S3-signed requests), single replica, no
# systemd, loopback only, all state under $SLUICE_S3_STATE (default /tmp/sluice-swift).
# Prints `export ...` lines for `eval "$(.ci/s3/start.sh)"`; everything else goes to stderr.
# Idempotent: when the server is already up it only prints the exports. Stop with .ci/s3/stop.sh.
set -euo pipefail
S=${SLUICE_S3_STATE:-/tmp/sluice-swift}
PROXY_PORT=${SLUICE_S3_PORT:-18480}
MEMCACHED_PORT=${SLUICE_S3_MEMCACHED_PORT:-11311}
ENDPOINT="http://127.0.0.1:$PROXY_PORT"

exports() {
  cat <<OUT
export AWS_ENDPOINT_URL_S3=$ENDPOINT
export AWS_ACCESS_KEY_ID=test:tester
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export SLUICE_S3_PATH_STYLE=1
OUT
}

healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$ENDPOINT/healthcheck")" = 200 ]; }

if healthy && [ -f "$S/env" ]; then
  echo "swift+s3api already up on $ENDPOINT (state $S)" >&2
  exports
  exit 0
fi

if ! command -v swift-proxy-server >/dev/null || ! command -v memcached >/dev/null || ! command -v curl >/dev/null; then
  echo "installing swift + memcached (Debian packages, ~1 min)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq swift swift-proxy swift-account swift-container swift-object memcached curl >&2
fi

# A half-started earlier attempt (or a stale state dir after a reboot) is cleared first.
"$(dirname "$0")/stop.sh" >&2 || true
T0=$(date +%s.%N)
rm -rf "$S"; mkdir -p "$S"/{etc,srv/d1,log,pid}
cat > "$S/etc/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = sluice-ci-suffix
swift_hash_path_prefix = sluice-ci-prefix
[storage-policy:0]
name = Policy-0
default = yes
CONF
server_conf() {  # name port
  cat <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
user = root
swift_dir = $S/etc
devices = $S/srv
mount_check = false
log_level = WARNING
[pipeline:main]
pipeline = $1-server
[app:$1-server]
use = egg:swift#$1
CONF
}
server_conf account 16302 > "$S/etc/account-server.conf"
server_conf container 16301 > "$S/etc/container-server.conf"
server_conf object 16300 > "$S/etc/object-server.conf"
cat > "$S/etc/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PROXY_PORT
workers = 0
user = root
swift_dir = $S/etc
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
CONF
cd "$S/etc"
for r in account:16302 container:16301 object:16300; do
  n=${r%%:*}; p=${r##*:}
  swift-ring-builder "$n.builder" create 6 1 1 >/dev/null
  swift-ring-builder "$n.builder" add "r1z1-127.0.0.1:$p/d1" 100 >/dev/null
  swift-ring-builder "$n.builder" rebalance >/dev/null
done
memcached -d -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -u root -P "$S/pid/memcached.pid"
for s in account container object proxy; do
  setsid nohup "swift-$s-server" "$S/etc/$s-server.conf" > "$S/log/$s.log" 2>&1 < /dev/null &
  echo $! > "$S/pid/$s.pid"
done
up() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")" != 000 ]; }
for _ in $(seq 1 1200); do
  up "$PROXY_PORT" /healthcheck && up 16300 / && up 16301 / && up 16302 / && break
  sleep 0.05
done
if ! healthy; then
  echo "swift did not come up; logs in $S/log:" >&2
  tail -n 20 "$S"/log/*.log >&2
  exit 1
fi
# The tests' helper reads this file when the variables are not in its environment.
exports > "$S/env"
T1=$(date +%s.%N)
echo "swift+s3api ready on $ENDPOINT in $(awk "BEGIN{printf \"%.1f\", $T1-$T0}")s (state $S)" >&2
exports
