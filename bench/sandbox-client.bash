# bench/sandbox-client.bash — sourced by the bench scripts that call the sandbox's Host directly:
# STATE (the sandbox's state directory) and, unless the caller set them, the admin token and the
# CA that `sandbox up` keeps there, as `sandbox riverrun` uses them (TLS and tokens are on); and
# the helpers that look into a node (leader, in_node, main_pid, rss_mb).
STATE=${RIVERRUN_SANDBOX_DIR:-/var/lib/riverrun-sandbox}
if [ -z "${RIVERRUN_TOKEN:-}" ] && [ -r "$STATE/admin.token" ]; then
  RIVERRUN_TOKEN=$(cat "$STATE/admin.token"); export RIVERRUN_TOKEN
fi
[ -n "${RIVERRUN_CA:-}" ] || { RIVERRUN_CA=$STATE/tls/ca.crt; export RIVERRUN_CA; }
# Every bench that sources this needs a running sandbox; say which one is missing instead of
# failing later in pgrep or nsenter with their usage text.
[ -r "$STATE/port" ] && [ -d "$STATE/nodes" ] || {
  echo "$(basename "$0"): no sandbox at $STATE: run deploy/sandbox/sandbox up, or set RIVERRUN_SANDBOX_DIR to the one you brought up" >&2
  exit 1
}

leader() { pgrep -P "$(cat "$STATE/nodes/$1.pid")" | head -n 1; } # NODE : the node's systemd, as seen here
in_node() { local node=$1; shift; nsenter -t "$(leader "$node")" -a -r -w "$@"; } # NODE CMD...
main_pid() { in_node "$1" systemctl show -p MainPID --value "$2"; } # NODE UNIT
rss_mb() { # NODE UNIT : the resident memory of the unit's main process, in MB
  # Read inside the node (its pid namespace), parsed here: the node's /etc has no awk alternative.
  in_node "$1" cat "/proc/$(main_pid "$1" "$2")/status" | awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }'
}
