#!/usr/bin/env bash
# Stops the cluster that .ci/slurm/start.sh started: cancels its jobs, then slurmd, slurmctld and
# munged by the pids in their pid files. `--clean` also removes $SLUICE_SLURM_DIR.
set -uo pipefail
BASE=${SLUICE_SLURM_DIR:-/tmp/sluice-slurm}
export SLURM_CONF=$BASE/etc/slurm.conf
log() { echo "[sluice-slurm] $*" >&2; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {  # name pidfile
  local pid
  alive "$2" || { rm -f "$2"; return 0; }
  pid=$(cat "$2")
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$1 ignored SIGTERM: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$2"
  log "$1 (pid $pid) stopped"
}

# Killing slurmd and slurmctld leaves slurmstepd and the jobs' processes running: cancel jobs first.
if alive "$BASE/slurmctld.pid" && [ -f "$SLURM_CONF" ]; then
  ids=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  if [ -n "${ids// /}" ]; then
    log "cancelling jobs $ids"
    # shellcheck disable=SC2086
    scancel --full $ids 2>/dev/null || true
    for _ in $(seq 1 100); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING,CONFIGURING -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
fi
stop_pid slurmd "$BASE/slurmd.pid"
stop_pid slurmctld "$BASE/slurmctld.pid"
stop_pid munged "$BASE/munged.pid"
if [ "${1:-}" = --clean ] && [ -e "$BASE/.sluice-slurm" ]; then rm -rf "$BASE"; log "removed $BASE"; fi
exit 0
