# bench/sandbox-client.bash — sourced by the bench scripts that call the sandbox's Host directly:
# STATE (the sandbox's state directory) and, unless the caller set them, the admin token and the
# CA that `sandbox up` keeps there, as `sandbox riverrun` uses them (TLS and tokens are on).
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
