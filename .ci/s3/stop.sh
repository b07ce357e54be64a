#!/usr/bin/env bash
# Stops the server .ci/s3/start.sh started (by the pids it recorded) and removes its state.
set -uo pipefail
S=${SLUICE_S3_STATE:-/tmp/sluice-swift}
[ -d "$S/pid" ] || exit 0
for f in "$S"/pid/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  # Only a process that is still one of ours: pids are reused after a reboot.
  if [ -n "$pid" ] && grep -qaE 'swift|memcached' "/proc/$pid/cmdline" 2>/dev/null; then kill "$pid" 2>/dev/null; fi
done
sleep 0.3
for f in "$S"/pid/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if [ -n "$pid" ] && grep -qaE 'swift|memcached' "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; fi
done
rm -rf "$S"
echo "stopped swift+s3api (state $S)"
