# security.bash — how the sandbox turns on RiverRun's access control, the way README's Security
# section tells a user to (sourced by deploy/sandbox/sandbox). Everything the sandbox does about
# who may call the Host lives here: TLS (a CA, the Host's certificate, everyone's --ca) and tokens.
#
# TLS, before the Host is installed, as README's Security section says:
#   0. On the Host's node: `riverrun init tls --out /etc/riverrun/tls --name NODE --ip 10.0.2.100`
#      (the address the VM nodes dial; localhost, 127.0.0.1 and ::1 are always in the
#      certificate). host.toml then names tls_cert and tls_key, and `init service --host` hands
#      them to the Host with LoadCredential=. The CA certificate goes to /etc/riverrun/tls/ca.crt
#      on every Runner node (runner.toml: `ca = ...`) and to $STATE/tls/ca.crt for clients on the
#      machine (RIVERRUN_CA); the CA's key never leaves the Host's node.
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
NODE_TLS_DIR=/etc/riverrun/tls
CA_FILE=$STATE/tls/ca.crt

# The Host's address for clients on the machine and nspawn nodes (they share its network).
sandbox_url() { printf 'https://127.0.0.1:%s' "$1"; } # PORT

# The riverrun client on the machine against the sandbox's Host, as the admin; the caller's own
# RIVERRUN_TOKEN (a test acting as a user) wins over the admin's.
sandbox_client() { # URL ARGS...
  local url=$1
  shift
  local token=${RIVERRUN_TOKEN:-}
  [ -n "$token" ] || [ ! -s "$ADMIN_TOKEN_FILE" ] || token=$(cat "$ADMIN_TOKEN_FILE")
  RIVERRUN_HOST=$url RIVERRUN_TOKEN=$token RIVERRUN_CA=${RIVERRUN_CA:-$CA_FILE} "$STATE/riverrun/riverrun" "$@"
}

# Step 0: the CA and the Host's certificate, made once on the Host's node (kept across `up`s, as
# the Host's database is); the CA certificate copied for clients on the machine.
setup_tls() { # HOST_NODE
  local host_node=$1
  if ! node_exec "$host_node" test -s "$NODE_TLS_DIR/host.crt"; then
    say "turning TLS on: riverrun init tls in $host_node (a CA and the Host's certificate)"
    node_exec "$host_node" /opt/riverrun/riverrun init tls --out "$NODE_TLS_DIR" --name "$host_node" --ip "$VM_GUEST_HOST_IP" >/dev/null \
      || die "riverrun init tls failed in $host_node"
  fi
  mkdir -p "$STATE/tls"
  node_exec "$host_node" cat "$NODE_TLS_DIR/ca.crt" >"$CA_FILE.new" && mv "$CA_FILE.new" "$CA_FILE" \
    || die "could not copy $host_node:$NODE_TLS_DIR/ca.crt to $CA_FILE"
}

# The lines of host.toml that serve gRPC over TLS with the certificate of step 0.
host_tls_config() {
  printf 'tls_cert = "%s/host.crt"\ntls_key = "%s/host.key"\n' "$NODE_TLS_DIR" "$NODE_TLS_DIR"
}

# The CA certificate on a Runner node, and the runner.toml line that trusts it (only it).
runner_tls_config() { # NODE
  write_node_file "$1" "$NODE_TLS_DIR/ca.crt" "$(cat "$CA_FILE")
"
  printf 'ca = "%s/ca.crt"\n' "$NODE_TLS_DIR"
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
