# vm-node.bash — the sandbox's cgroup v2 node: a qemu VM (sourced by deploy/sandbox/sandbox).
#
# The nspawn nodes can only be cgroup v1 here (every controller of the machine is bound to a v1
# hierarchy that is not ours to change). A VM has a kernel of its own, so it boots systemd on the
# unified hierarchy. KVM does not work on these machines: qemu emulates the CPU (TCG), which
# makes the guest slow (boot to "running" 16-20 s, a .NET hello world 1-2 s) but real.
# The measured recipe behind this file is shared/notes/cgroup-v2-vm/.
#
# A VM node NAME lives in $STATE/vms/NAME:
#   root.ext4   the guest's root, built afresh at every boot with `mkfs.ext4 -d` (no loop
#               mount): a copy of the machine's /etc without its enabled units, a fixed
#               machine-id, RiverRun's published build at /opt/riverrun, two small units.
#   qemu.pid    qemu's pid, which is also its process group (guestfwd helpers are in it)
#   console.log the guest's serial console
#   exec-token  the secret of the exec channel (see vm-exec)
# The machine's /usr is the guest's /usr over virtio-9p, read-only: systemd, .NET, python3 and
# the guest kernel's modules (the linux-image package installs them under /usr/lib/modules).
#
# Network: qemu user-mode networking with restrict=on: the guest reaches nothing on the machine
# or outside, except 10.0.2.100:PORT, which qemu forwards to the Host on the machine's
# 127.0.0.1:PORT (a fresh `busybox nc` per connection; the `-tcp:` form would connect only once,
# at qemu start). Inwards, one hostfwd from the machine's 127.0.0.1:PORT+2000+i to the guest's
# exec channel.

VM_DIR=$STATE/vms
VM_NODES=()   # the VM nodes `up` was given (--v2)
VM_BOOT_DIR=$STATE/vm-boot
VM_BOOT_TIMEOUT=${RIVERRUN_SANDBOX_VM_BOOT_TIMEOUT:-240}
VM_MEMORY_MB=2048
VM_CPUS=2
VM_GUEST_HOST_IP=10.0.2.100
VM_GUEST_EXEC_PORT=7000
VM_EXEC_PORT_OFFSET=2000   # PORT+1000 is the Host's /healthz and /metrics
VM_EXEC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/vm-exec

vm_root() { printf '%s/%s' "$VM_DIR" "$1"; }

is_vm_node() { [ -d "$VM_DIR/$1" ]; }

list_vm_nodes() {
  [ -d "$VM_DIR" ] || return 0
  find "$VM_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort
}

# What the VM needs from the machine, installed like systemd-container: qemu, a static busybox
# (the initramfs and the guestfwd helper) and Debian's kernel, whose modules the guest loads
# from the shared /usr.
ensure_vm_packages() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86 qemu-utils)
  [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
  [ -n "$(vm_kernel_version)" ] || need+=(linux-image-amd64)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "a VM node needs ${need[*]}, and apt-get is not available; install them by hand"
  say "installing ${need[*]} (for the cgroup v2 VM node; about a minute)..."
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || die "could not install ${need[*]}; install them by hand and retry"
  [ -n "$(vm_kernel_version)" ] || die "no kernel in /boot has its modules in /usr/lib/modules; install linux-image-amd64"
}

# The newest kernel in /boot whose modules are in /usr/lib/modules (the guest loads them from there).
vm_kernel_version() {
  local k v
  for k in /boot/vmlinuz-*; do
    [ -e "$k" ] || continue
    v=${k#/boot/vmlinuz-}
    if [ -d "/usr/lib/modules/$v/kernel" ]; then printf '%s\n' "$v"; fi
  done | sort -V | tail -n 1
}

# A busybox initramfs: load what mounting the root and /usr needs (Debian builds virtio, ext4
# and 9p as modules; modprobe resolves their order), mount them, hand over to systemd.
build_vm_initrd() {
  local kver=$1 dir=$VM_BOOT_DIR/initrd m
  [ -s "$VM_BOOT_DIR/initrd-$kver.cpio.gz" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir"/{bin,dev,proc,sys,newroot,mod}
  cp /bin/busybox "$dir/bin/busybox"
  : >"$dir/mod/order"
  # One module per --show-depends: further names would be read as module parameters.
  for m in $(for m in virtio_pci virtio_blk ext4 9pnet_virtio 9p; do modprobe -S "$kver" --show-depends "$m"; done \
      | awk '$1 == "insmod" { print $2 }'); do
    grep -qxF "$(basename "$m")" "$dir/mod/order" && continue
    cp "$m" "$dir/mod/"
    basename "$m" >>"$dir/mod/order"
  done
  cat >"$dir/init" <<'EOF'
#!/bin/busybox sh
# The VM node's initramfs: root is ext4 on /dev/vda, /usr the machine's /usr (9p tag "usr").
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /mod/order); do insmod "/mod/$m" || echo "initrd: insmod $m failed"; done
i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mount -t ext4 -o rw,noatime /dev/vda /newroot || { echo "initrd: cannot mount the root"; poweroff -f; }
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose usr /newroot/usr \
  || { echo "initrd: cannot mount /usr"; poweroff -f; }
umount /proc /sys; mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init "$@"
EOF
  chmod 755 "$dir/init"
  (cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$VM_BOOT_DIR/initrd-$kver.cpio.gz"
  rm -rf "$dir"
}

# The guest's root tree, turned into root.ext4. Its /etc is the machine's (users, ld.so.cache,
# PAM, ...) minus every unit the machine enables: the guest runs systemd's static units, its
# network setup and the exec channel, and then what the sandbox starts in it.
make_vm_image() {
  local name=$1 dir tree
  dir=$(vm_root "$name")
  tree=$dir/tree
  rm -rf "$tree"; mkdir -p "$tree"
  (
    cd "$tree"
    mkdir -p usr proc sys dev run tmp root var/tmp var/log var/lib var/cache opt mnt srv
    chmod 1777 tmp var/tmp; chmod 700 root
    local l
    for l in bin sbin lib lib64; do [ -e "/usr/$l" ] && ln -s "usr/$l" "$l"; done
    cp -a /etc etc
    rm -rf etc/systemd/system/* etc/rc?.d etc/init.d etc/resolv.conf etc/machine-id
    printf '%s\n' "$name" >etc/hostname
    printf '127.0.0.1 localhost %s\n::1 localhost\n' "$name" >etc/hosts
    # An empty machine-id means a first boot, where systemd enables every unit /usr ships.
    systemd-id128 new >etc/machine-id
    printf '/dev/vda / ext4 rw,noatime 0 1\n' >etc/fstab
    mkdir -p etc/riverrun-vm opt/riverrun-vm
    (umask 077; cp "$dir/exec-token" etc/riverrun-vm/exec-token)
    cp "$VM_EXEC" opt/riverrun-vm/vm-exec
    cp -a "$STATE/riverrun/." opt/riverrun/ 2>/dev/null || mkdir -p opt/riverrun
    local units=etc/systemd/system
    mkdir -p "$units/multi-user.target.wants" "$units/sockets.target.wants"
    ln -s /usr/lib/systemd/system/multi-user.target "$units/default.target"
    # qemu's user network: static address, the gateway only for completeness (restrict=on
    # drops everything but the guestfwd). net.ifnames=0 on the kernel line makes it eth0.
    cat >"$units/riverrun-vm-net.service" <<EOF
[Unit]
Description=RiverRun sandbox: the VM node's network (qemu user-mode, restricted)
DefaultDependencies=no
After=systemd-udevd.service sys-subsystem-net-devices-eth0.device
Wants=sys-subsystem-net-devices-eth0.device
Before=network.target sockets.target
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/ip link set lo up
ExecStart=/usr/sbin/ip link set eth0 up
ExecStart=/usr/sbin/ip addr add 10.0.2.15/24 dev eth0
ExecStart=/usr/sbin/ip route add default via 10.0.2.2
[Install]
WantedBy=multi-user.target
EOF
    ln -s ../riverrun-vm-net.service "$units/multi-user.target.wants/"
    cat >"$units/riverrun-vm-exec.socket" <<EOF
[Unit]
Description=RiverRun sandbox: exec channel (sandbox exec)
[Socket]
ListenStream=$VM_GUEST_EXEC_PORT
Accept=yes
[Install]
WantedBy=sockets.target
EOF
    ln -s ../riverrun-vm-exec.socket "$units/sockets.target.wants/"
    cat >"$units/riverrun-vm-exec@.service" <<'EOF'
[Unit]
Description=RiverRun sandbox: one exec command
[Service]
ExecStart=/usr/bin/python3 /opt/riverrun-vm/vm-exec serve
StandardInput=socket
StandardOutput=socket
StandardError=journal
EOF
  )
  rm -f "$dir/root.ext4"
  mkfs.ext4 -q -F -L "$name" -d "$tree" "$dir/root.ext4" 4G >/dev/null || die "cannot build the root image of $name"
  rm -rf "$tree"
}

vm_exec_port() { cat "$(vm_root "$1")/exec-port"; }

# qemu's pid, when it is alive and really ours.
vm_pid() {
  local file pid
  file=$(vm_root "$1")/qemu.pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(vm_root "$1")/root.ext4" || return 1
  printf '%s' "$pid"
}

# Runs a command in the guest as root through the exec channel; exits with its status.
vm_exec() { # NAME CMD...
  local name=$1
  shift
  # Debian's python3 (the one the guest runs too), not whichever python3 is first on PATH.
  /usr/bin/python3 "$VM_EXEC" run "$(vm_exec_port "$name")" "$(vm_root "$name")/exec-token" -- "$@"
}

boot_vm() { # NAME PORT INDEX
  local name=$1 port=$2 index=$3 dir kver exec_port
  dir=$(vm_root "$name")
  exec_port=$((port + VM_EXEC_PORT_OFFSET + index))
  [ $exec_port -le 65535 ] || die "--port $port is too high for a VM node: its exec channel uses port $exec_port"
  kver=$(vm_kernel_version)
  mkdir -p "$dir" "$VM_BOOT_DIR"
  echo "$exec_port" >"$dir/exec-port"
  (umask 077; head -c 24 /dev/urandom | base64 >"$dir/exec-token")
  build_vm_initrd "$kver"
  make_vm_image "$name"
  local qemu=(qemu-system-x86_64
    -accel tcg,thread=multi -cpu max -smp "$VM_CPUS" -m "$VM_MEMORY_MB" -no-reboot
    -kernel "/boot/vmlinuz-$kver" -initrd "$VM_BOOT_DIR/initrd-$kver.cpio.gz"
    -append "console=ttyS0 root=/dev/vda rw panic=-1 net.ifnames=0 systemd.unified_cgroup_hierarchy=1 systemd.show_status=auto loglevel=4"
    -drive "file=$dir/root.ext4,format=raw,if=virtio,cache=unsafe"
    -virtfs local,path=/usr,mount_tag=usr,security_model=passthrough,readonly=on,multidevs=remap
    -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$exec_port-:$VM_GUEST_EXEC_PORT,guestfwd=tcp:$VM_GUEST_HOST_IP:$port-cmd:/bin/busybox nc 127.0.0.1 $port"
    -device virtio-net-pci,netdev=n0,romfile=
    -display none -monitor none -serial "file:$dir/console.log")
  # nice: the machine's other work (builds, timing benchmarks) comes first. setsid: qemu leads
  # a process group of its own, so that `down` ends it and its guestfwd helpers, and nothing else.
  (exec setsid nice -n 19 "${qemu[@]}" </dev/null >"$dir/qemu.log" 2>&1) &
  echo $! >"$dir/qemu.pid"
}

# Until systemd in the guest reports running (or degraded, with the failed units shown).
wait_vm_running() {
  local name=$1 deadline state=""
  deadline=$((SECONDS + VM_BOOT_TIMEOUT))
  while :; do
    if ! vm_pid "$name" >/dev/null; then
      say "VM node $name: qemu exited while booting; its log and console:"
      tail -n 5 "$(vm_root "$name")/qemu.log" >&2 || true
      tail -n 30 "$(vm_root "$name")/console.log" >&2 || true
      return 1
    fi
    state=$(VM_EXEC_CONNECT_TIMEOUT=1 vm_exec "$name" systemctl is-system-running 2>/dev/null || true)
    case "$state" in
      running) return 0 ;;
      degraded)
        say "VM node $name is degraded; failed units:"
        vm_exec "$name" systemctl --failed --no-legend >&2 || true
        return 0 ;;
    esac
    if [ $SECONDS -ge $deadline ]; then
      say "VM node $name did not reach 'running' within ${VM_BOOT_TIMEOUT}s (last state: ${state:-none}); console:"
      tail -n 30 "$(vm_root "$name")/console.log" >&2 || true
      return 1
    fi
    sleep 1
  done
}

# The Runner in a VM node, installed like the nspawn nodes' (runner.toml, `init service`), except
# that the Host is reached through the guestfwd address and the start does not wait for READY:
# .NET on an emulated CPU may take longer to register than systemd's start timeout, and
# start_riverrun waits for the registration anyway.
start_vm_runner() { # NAME PORT RESTART
  local name=$1 port=$2 restart=$3
  install_service "$name" runner "$restart" "# Written by deploy/sandbox/sandbox up.
host = \"https://$VM_GUEST_HOST_IP:$port\"
$(runner_tls_config "$name")
name = \"$name\"
${RUNNER_CORES:+cores = $RUNNER_CORES
}${RUNNER_MEMORY:+memory = \"$RUNNER_MEMORY\"
}" --no-block
}

# Ends the VMs named (all when none): qemu's whole process group, then the images.
stop_vms() {
  local name pid nodes=("$@") pids=()
  [ ${#nodes[@]} -gt 0 ] || mapfile -t nodes < <(list_vm_nodes)
  for name in "${nodes[@]}"; do
    if pid=$(vm_pid "$name"); then
      kill -TERM -- "-$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  local deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  # A qemu whose pid file was lost (a killed `up`): found by its image path, which is ours alone.
  for name in "${nodes[@]}"; do
    for pid in $(pgrep -f -- "qemu-system-x86_64 .*$(vm_root "$name")/root.ext4" || true); do
      say "killing a leftover qemu of $name: pid $pid"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    rm -f "$(vm_root "$name")"/{root.ext4,qemu.pid}
  done
}
