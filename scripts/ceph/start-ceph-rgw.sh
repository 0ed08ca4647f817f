#!/usr/bin/env bash
# Start a throwaway single-node Ceph cluster (1 mon, 1 OSD, no mgr, no cephx) and
# a RADOS Gateway (S3 API) on 127.0.0.1, for integration tests. scripts/s3-env.mjs runs it on free
# ports for `npm test` and .ci/run; stop it with stop-ceph-rgw.sh (same S3_STATE_DIR).
#
# Install once (Debian 12 packages, Ceph 16.2 "pacific"):
#   apt-get update
#   DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd
#
# Env: S3_STATE_DIR (default /tmp/ceph-rgw-state; wiped on start),
#      S3_PORT (RGW port, default 7480), CEPH_MON_PORT (default 6789),
#      S3_ACCESS_KEY / S3_SECRET_KEY (default deltatest / deltatestsecret),
#      CEPH_OSD_STORE=memstore (default: objects live in the OSD's RAM, ~2.6 s start)
#        or bluestore (a sparse 10 GiB file under the state dir, ~7 s start),
#      CEPH_MEMSTORE_BYTES (memstore capacity, default 4 GiB),
#      CEPH_BLUESTORE_BYTES (bluestore file size, default 10 GiB, sparse).
# Prints the AWS_* variables to use and writes them to $S3_STATE_DIR/env.
set -euo pipefail
STATE=${S3_STATE_DIR:-/tmp/ceph-rgw-state}
PORT=${S3_PORT:-7480}
MON_PORT=${CEPH_MON_PORT:-6789}
AK=${S3_ACCESS_KEY:-deltatest}
SK=${S3_SECRET_KEY:-deltatestsecret}
MEMSTORE_BYTES=${CEPH_MEMSTORE_BYTES:-4294967296}
case "${CEPH_OSD_STORE:-memstore}" in
  memstore) OSD_STORE_CONF="osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES" ;;
  bluestore) OSD_STORE_CONF="osd objectstore = bluestore
bluestore block create = true
bluestore block size = ${CEPH_BLUESTORE_BYTES:-10737418240}
bluestore fsck on mount = false
bluestore cache size = 134217728
osd memory target = 939524096" ;;
  *) echo "CEPH_OSD_STORE must be memstore or bluestore" >&2; exit 1 ;;
esac

for b in ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool; do
  command -v "$b" >/dev/null || { echo "missing $b: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd" >&2; exit 1; }
done
# On any failure, stop whatever this script already started (logs stay in $STATE).
started_ok=0; armed=0   # armed once this run owns $STATE
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $st != Z* ]]; }
on_exit() {
  [ "$armed" = 1 ] && [ "$started_ok" != 1 ] || return 0
  echo "start-ceph-rgw.sh: start failed; stopping what was started (logs in $STATE)" >&2
  for f in "$STATE"/run/*.daemon.pid; do
    [ -f "$f" ] || continue; pid=$(cat "$f"); kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -9 "$pid" 2>/dev/null; rm -f "$f"
  done
}
trap on_exit EXIT
t0=$EPOCHREALTIME
elapsed() { awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}'; }
log() { echo "# [$(elapsed)s] $*" >&2; }

if [ -d "$STATE" ] && ls "$STATE"/run/*.daemon.pid >/dev/null 2>&1; then
  echo "$STATE has pid files: run stop-ceph-rgw.sh first" >&2; exit 1
fi
for p in "$MON_PORT" "$PORT"; do
  if ss -Hltn "sport = :$p" | grep -q .; then echo "port $p is already in use (another cluster still running?)" >&2; exit 1; fi
done
rm -rf "$STATE"
mkdir -p "$STATE"/{run,log,mon.a,osd.0,rgw}
armed=1
FSID=$(cat /proc/sys/kernel/random/uuid)
CONF="$STATE/ceph.conf"
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
keyring = $STATE/keyring
run dir = $STATE/run
pid file = $STATE/run/\$name.pid
admin socket = $STATE/run/\$name.asok
log file = $STATE/log/\$name.log
crash dir = $STATE/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon warn on pool no redundancy = false
[mon]
mon data = $STATE/mon.\$id
mon data avail crit = 1
mon data avail warn = 2
# Every osdmap change (OSD boot, each RGW pool create) waits for the next Paxos
# proposal, 1 s apart by default: 18 s to start. 0.1 s brings it to ~3 s.
paxos propose interval = 0.1
paxos min wait = 0.01
[osd]
osd data = $STATE/osd.\$id
$OSD_STORE_CONF
osd max object name len = 460
osd max object namespace len = 64
osd heartbeat grace = 60
# The OSD's own CRUSH/device-class mon commands at start race the first monmap
# ("wrong fsid", OSD exits) about 1 start in 10: place it in CRUSH ourselves.
osd crush update on start = false
osd class update on start = false
[client]
log file = $STATE/log/\$name.log
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw data = $STATE/rgw
rgw dns name = 127.0.0.1
rgw enable usage log = false
rgw dynamic resharding = false
EOF
export CEPH_CONF="$CONF"

# --- monitor
ceph-authtool --create-keyring "$STATE/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$STATE/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
# The monitor's address must be a v1 (legacy protocol) address, as ceph.conf's `mon host` says:
# `--add a 127.0.0.1:PORT` gives v1 only for port 6789 and a msgr2-only address for any other port,
# and then the monitor never answers. `--addv` with an explicit v1 address works on every port.
monmaptool --create --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$STATE/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$STATE/monmap" --keyring "$STATE/keyring" -c "$CONF" 2>>"$STATE/log/mkfs.log"
nohup ceph-mon -f -i a -c "$CONF" >>"$STATE/log/mon.a.out" 2>&1 &
echo $! >"$STATE/run/mon.a.daemon.pid"
log "mon started (pid $(cat "$STATE/run/mon.a.daemon.pid"))"
timeout 60 ceph -c "$CONF" --connect-timeout 30 mon stat >/dev/null || { echo "mon did not answer" >&2; exit 1; }
log "mon answers"

# --- OSD
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph -c "$CONF" osd new "$OSD_UUID")
ceph-osd -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" -c "$CONF" >>"$STATE/log/mkfs.log" 2>&1
ceph -c "$CONF" osd crush add-bucket localhost host >/dev/null 2>&1
ceph -c "$CONF" osd crush move localhost root=default >/dev/null 2>&1
ceph -c "$CONF" osd crush add "osd.$OSD_ID" 1.0 host=localhost >/dev/null 2>&1
osd_up() { timeout 10 ceph -c "$CONF" osd dump 2>/dev/null | grep -q "^osd.$OSD_ID up"; }
for attempt in 1 2 3; do
  nohup ceph-osd -f -i "$OSD_ID" -c "$CONF" >>"$STATE/log/osd.$OSD_ID.out" 2>&1 &
  echo $! >"$STATE/run/osd.$OSD_ID.daemon.pid"
  deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    osd_up && break 2
    kill -0 "$(cat "$STATE/run/osd.$OSD_ID.daemon.pid")" 2>/dev/null || break
    sleep 0.2
  done
  log "osd.$OSD_ID exited during start (attempt $attempt), retrying"
  kill "$(cat "$STATE/run/osd.$OSD_ID.daemon.pid")" 2>/dev/null || true
  sleep 1
done
osd_up || { echo "OSD did not come up" >&2; tail -20 "$STATE/log/osd.$OSD_ID.log" >&2; exit 1; }
log "osd.$OSD_ID up"

# --- RGW user (radosgw-admin also creates the default realm/zone and pools)
radosgw-admin -c "$CONF" -n client.rgw.a user create --uid=delta --display-name=delta \
  --access-key="$AK" --secret-key="$SK" >"$STATE/log/user-create.json" 2>>"$STATE/log/radosgw-admin.err"
log "rgw user created"

# --- gateway
nohup radosgw -f -n client.rgw.a -c "$CONF" >>"$STATE/log/rgw.a.out" 2>&1 &
echo $! >"$STATE/run/rgw.a.daemon.pid"
deadline=$((SECONDS + 60))
while [ $SECONDS -lt $deadline ]; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  kill -0 "$(cat "$STATE/run/rgw.a.daemon.pid")" 2>/dev/null || { echo "radosgw died" >&2; tail -30 "$STATE/log/client.rgw.a.log" >&2; exit 1; }
  sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$PORT/" || { echo "radosgw did not answer" >&2; exit 1; }
log "radosgw answers on 127.0.0.1:$PORT"

# --- warm-up through the S3 API with the test credentials: proves auth works and
# makes RGW create its bucket-index and data pools now rather than inside the
# first test. Skip with CEPH_WARMUP=0.
if [ "${CEPH_WARMUP:-1}" != 0 ]; then
  s3curl() { curl -sf -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AK:$SK" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"; }
  W="http://127.0.0.1:$PORT/warmup-$$"
  s3curl -X PUT "$W" && s3curl -X PUT --data-binary warm "$W/obj" && s3curl -X DELETE "$W/obj" && s3curl -X DELETE "$W" \
    || { echo "S3 warm-up request failed" >&2; exit 1; }
  log "S3 warm-up (create bucket, put, delete) done"
fi

started_ok=1
cat >"$STATE/env" <<ENV
export AWS_ENDPOINT_URL=http://127.0.0.1:$PORT
export AWS_ACCESS_KEY_ID=$AK
export AWS_SECRET_ACCESS_KEY=$SK
export AWS_REGION=us-east-1
ENV
cat "$STATE/env"
