#!/usr/bin/env bash
# Starts a throw-away single-node Slurm cluster (munged, slurmctld, slurmd) as root without
# systemd, for sluice's Slurm tests, and prints the variables clients need:
#
#   eval "$(.ci/slurm/start.sh)"     # stdout: export lines only; progress goes to stderr
#   sbatch --wrap hostname; squeue; scontrol -o show job <id>
#   .ci/slurm/stop.sh [--clean]
#
# Idempotent: when the cluster of $SLUICE_SLURM_DIR already answers, it only prints the exports.
# Installs Debian's slurm-wlm and munge when sbatch is missing. Knobs (environment):
#   SLUICE_SLURM_DIR   state, logs, spool, munge key and slurm.conf (default /tmp/sluice-slurm)
#   SLUICE_SLURM_PORT  slurmctld port; slurmd uses the next one (default: the first free pair
#                      from 6817, so a cluster someone else runs on this machine is left alone)
#   SLUICE_SLURM_WAIT  seconds to wait for the node to be idle (default 60)
set -euo pipefail

BASE=${SLUICE_SLURM_DIR:-/tmp/sluice-slurm}
WAIT_S=${SLUICE_SLURM_WAIT:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
log() { echo "[sluice-slurm] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
exports() { printf 'export SLURM_CONF=%s\nexport SLUICE_SLURM_DIR=%s\n' "$BASE/etc/slurm.conf" "$BASE"; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

[ "$(id -u)" = 0 ] || die "must run as root (the daemons run as root, without systemd)"
case "$BASE" in /|/tmp|/root|/etc|/var|/usr|/home|"") die "refusing SLUICE_SLURM_DIR=$BASE" ;; esac
# Test files may start the cluster at the same time (test/helpers/slurm.ts): one at a time.
# The daemons must not inherit fd 9, or they would hold the lock for ever ('9>&-' below).
exec 9>"$BASE.lock"
flock 9

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may hold the dpkg lock on a shared machine: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq slurm-wlm munge >&2
fi

if alive "$BASE/slurmctld.pid" && alive "$BASE/slurmd.pid" && alive "$BASE/munged.pid" \
   && SLURM_CONF=$BASE/etc/slurm.conf scontrol ping >/dev/null 2>&1; then
  log "already running from $BASE"
  exports
  exit 0
fi
if [ -e "$BASE" ] && [ ! -e "$BASE/.sluice-slurm" ]; then
  die "$BASE exists and was not made by this script; refusing to wipe it"
fi
if [ -e "$BASE" ]; then
  log "a stale or half-running cluster in $BASE: stopping it"
  SLUICE_SLURM_DIR=$BASE "$HERE/stop.sh" --clean
fi

T0=$(date +%s%N)
mkdir -p "$BASE"/{etc,state,spool,log,munge}
touch "$BASE/.sluice-slurm"
chmod 755 "$BASE" "$BASE/munge"   # munged refuses a socket directory without o+x

# ---- munge: a key of our own, so /etc/munge is never touched ------------------------------
# munged refuses a key whose owner is not the user it runs as ("Keyfile is insecure"), and the
# Debian key belongs to 'munge': with our own root-owned key, munged runs as root.
KEY=$BASE/munge/munge.key
mungekey --create --keyfile="$KEY" --force
chmod 600 "$KEY"
SOCKET=$BASE/munge/munge.socket
munged --force --socket="$SOCKET" --key-file="$KEY" --pid-file="$BASE/munged.pid" \
  --log-file="$BASE/log/munged.log" --seed-file="$BASE/munge/munged.seed" 9>&- \
  || die "munged failed: $(tail -3 "$BASE/log/munged.log" 2>/dev/null)"
munge -n -S "$SOCKET" | unmunge -S "$SOCKET" >/dev/null || die "munge self-test failed"

# ---- ports: the first free pair, unless given -------------------------------------------
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${SLUICE_SLURM_PORT:-}" ]; then
  CTLD_PORT=$SLUICE_SLURM_PORT
else
  CTLD_PORT=6817
  while listening "$CTLD_PORT" || listening $((CTLD_PORT + 1)); do
    CTLD_PORT=$((CTLD_PORT + 2))
    [ "$CTLD_PORT" -lt 6917 ] || die "no free port pair in 6817-6916"
  done
fi
D_PORT=$((CTLD_PORT + 1))

# ---- slurm.conf ----------------------------------------------------------------------------
HOST=$(hostname -s)
# e.g. "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
NODE=$(slurmd -C | head -1)
case "$NODE" in NodeName=*) ;; *) die "unexpected 'slurmd -C' output: $NODE" ;; esac
cat > "$BASE/etc/slurm.conf" <<CONF
# Written by .ci/slurm/start.sh: a single-node cluster for sluice's tests.
ClusterName=sluice
# Loopback addresses: 'hostname -s' need not resolve.
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire (default 120 s) is also how long a requeued job waits before it may start again.
AuthInfo=socket=$SOCKET,cred_expire=10
SlurmctldPort=$CTLD_PORT
SlurmdPort=$D_PORT
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/slurmctld.pid
SlurmdPidFile=$BASE/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
# No cgroups in a container: track processes by parent id, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
# No slurmdbd: sacct has nothing; finished jobs stay visible to scontrol/squeue for MinJobAge s.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=86400
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
InactiveLimit=0
KillWait=5
Waittime=0
MailProg=/bin/true
$NODE NodeAddr=127.0.0.1 NodeHostname=$HOST State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$BASE/etc/slurm.conf

# ---- daemons: they fork into the background and write their pid files ----------------------
slurmctld -i 9>&- || die "slurmctld failed: $(tail -5 "$BASE/log/slurmctld.log" 2>/dev/null)"
slurmd 9>&- || die "slurmd failed: $(tail -5 "$BASE/log/slurmd.log" 2>/dev/null)"
state=""
for _ in $(seq 1 $((WAIT_S * 5))); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
if [ "$state" != idle ]; then
  tail -20 "$BASE/log/slurmctld.log" "$BASE/log/slurmd.log" >&2
  die "node $HOST not idle after ${WAIT_S}s (state '$state')"
fi
exports > "$BASE/env.sh"
log "up in $(( ($(date +%s%N) - T0) / 1000000 )) ms: node $HOST idle, ports $CTLD_PORT/$D_PORT, logs in $BASE/log"
exports
