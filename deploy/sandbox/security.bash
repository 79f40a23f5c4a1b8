# security.bash — how the sandbox turns on RiverRun's access control, the way README's Security
# section tells a user to (sourced by deploy/sandbox/sandbox). Everything the sandbox does about
# who may call the Host lives here: tokens today; TLS (a CA, the Host's certificate, clients'
# --ca) belongs beside them in this file.
#
# Tokens, in the order a user sets them up:
#   1. On the Host's node, after the Host is installed: `riverrun init token --print` creates the
#      first admin token (its tasks default to root: `init token`'s explicit choice) in the Host's
#      database and in that node's /etc/riverrun/riverrun.env (0600). The sandbox keeps a copy in
#      $STATE/admin.token (0600) for clients on the machine: `sandbox riverrun`, tests, benchmarks.
#   2. For each Runner node, before its Runner starts: `riverrun token create --role runner
#      --name runner-NODE --node NODE | tail -1`, written as RIVERRUN_TOKEN into the node's
#      /etc/riverrun/riverrun.env (0600; other lines kept), which the unit reads.
# Secrets never stand on a command line: they travel in variables of this script, on pipes, and
# in 0600 files.

ADMIN_TOKEN_FILE=$STATE/admin.token
NODE_ENV_FILE=/etc/riverrun/riverrun.env

# The riverrun client on the machine against the sandbox's Host, as the admin; the caller's own
# RIVERRUN_TOKEN (a test acting as a user) wins over the admin's.
sandbox_client() { # URL ARGS...
  local url=$1
  shift
  local token=${RIVERRUN_TOKEN:-}
  [ -n "$token" ] || [ ! -s "$ADMIN_TOKEN_FILE" ] || token=$(cat "$ADMIN_TOKEN_FILE")
  RIVERRUN_HOST=$url RIVERRUN_TOKEN=$token "$STATE/riverrun/riverrun" "$@"
}

# Step 1: the first admin token, once per Host database. A token kept from an earlier `up` is
# reused while the Host still accepts it.
setup_admin_token() { # HOST_NODE URL
  local host_node=$1 url=$2 token listed
  # Under open access (no token at all) any call passes, so a kept token counts only when the
  # Host lists an admin token: tokens are on.
  if [ -s "$ADMIN_TOKEN_FILE" ] && listed=$(RIVERRUN_TOKEN='' sandbox_client "$url" token list 2>/dev/null) \
    && grep -Eq '^[^[:space:]]+[[:space:]]+admin[[:space:]]' <<<"$listed"; then
    return 0
  fi
  say "turning tokens on: riverrun init token in $host_node (first admin; its tasks default to root)"
  token=$(node_exec "$host_node" /opt/riverrun/riverrun init token --print | tail -n 1) \
    || die "riverrun init token failed in $host_node (a Host database kept from an earlier sandbox already has an 'admin' token?); run 'sandbox down' and 'sandbox up' again"
  [[ $token =~ ^rr_ ]] || die "riverrun init token printed no token in $host_node"
  (umask 077 && printf '%s\n' "$token" >"$ADMIN_TOKEN_FILE")
  chmod 600 "$ADMIN_TOKEN_FILE"
}

# Step 2: a runner token bound to NODE, in the node's environment file before its Runner starts.
# Kept when the node has one and the Host still lists it; otherwise (re)created. Returns 0 when it
# wrote a new token (the Runner must restart to use it), 1 when it kept the old one.
ensure_runner_token() { # NODE URL
  local node=$1 url=$2 name=runner-$1 token
  local listed
  listed=$(RIVERRUN_TOKEN='' sandbox_client "$url" token list 2>/dev/null || true)
  if node_exec "$node" grep -q '^RIVERRUN_TOKEN=.' "$NODE_ENV_FILE" 2>/dev/null \
    && grep -Eq "^$name[[:space:]]+runner[[:space:]]+$node[[:space:]]" <<<"$listed"; then
    return 1
  fi
  RIVERRUN_TOKEN='' sandbox_client "$url" token revoke "$name" >/dev/null 2>&1 || true
  token=$(RIVERRUN_TOKEN='' sandbox_client "$url" token create --role runner --name "$name" --node "$node" | tail -n 1) \
    || die "could not create the runner token for $node"
  [[ $token =~ ^rr_ ]] || die "riverrun token create printed no token for $node"
  # Through stdin (printf is a shell builtin: no process shows the token), into a 0600 file
  # renamed over the old one; the node's other lines (other variables) are kept.
  printf 'RIVERRUN_TOKEN=%s\n' "$token" | node_exec "$node" sh -c '
    umask 077 && mkdir -p "$(dirname "$1")" &&
    { grep -v "^RIVERRUN_TOKEN=" "$1" 2>/dev/null; cat; } >"$1.new" && chmod 600 "$1.new" && mv "$1.new" "$1"' sh "$NODE_ENV_FILE" \
    || die "could not write the runner token into $node:$NODE_ENV_FILE"
  return 0
}
