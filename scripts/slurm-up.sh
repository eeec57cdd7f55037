#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (Debian: slurm-wlm + munge), for testing `featlearn sweep`
# under `sbatch --array` (test/slurm/slurm.test.ts, docs/sweeps.md). Needs root. Idempotent: returns at
# once when the node is already idle. Exit 0 when `sinfo` shows the node idle, non-zero (with the reason
# and the log tails) otherwise.
set -euo pipefail

host=$(hostname -s)
say() { echo "slurm-up: $*" >&2; }
node_state() { [ -f "${SLURM_CONF:-/etc/slurm/slurm.conf}" ] && timeout 5 sinfo -h -n "$host" -o %t 2>/dev/null | head -n1 || true; }

if command -v sinfo >/dev/null && [ "$(node_state)" = "idle" ]; then say "node $host is idle already"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then say "needs root (apt-get, /etc/munge, /etc/slurm)"; exit 1; fi

# 1. packages
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q slurm-wlm munge >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q slurm-wlm munge >/dev/null; }
fi

# 2. munge: a key owned by munge (mode 400), munged running as munge
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
if ! pgrep -u munge -x munged >/dev/null; then
  runuser -u munge -- /usr/sbin/munged
fi
for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
munge -n </dev/null | unmunge >/dev/null || { say "munge does not work"; exit 1; }

# 3. a minimal slurm.conf: this host, all its cores, 80% of its memory, one default partition
cpus=$(nproc)
mem=$(free -m | awk '/^Mem:/ { print int($2 * 0.8) }')
install -d /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# written by featlearn scripts/slurm-up.sh: a one-node test cluster
ClusterName=featlearn
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

# 4. the daemons
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

# 5. wait for the node
for i in $(seq 120); do
  s=$(node_state)
  if [ "$s" = "idle" ]; then say "node $host idle after ${SECONDS} s ($cpus CPUs, ${mem} MB)"; exit 0; fi
  case "$s" in down*|drain*|fail*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;; esac
  sleep 0.5
done
say "the node did not become idle (state: '$(node_state)')"
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
