# The virtual lab, sourced by ./wings: a network namespace with a bridge, dhcp-service and
# tftp-service inside it, tunnels to Kafka and http-boot-service on the host's loopback, and QEMU
# machines that PXE-boot through the suite. Nothing binds a host interface: DHCP, TFTP and the
# machines live in the namespace; the host reaches the lab's admin ports through socat on
# 127.0.0.1 only. With --sites 2, a second namespace is a second site with edge instances of its
# own (dhcp, tftp, http-boot, bmc, an image cache), and the machines alternate between the two.

LAB_DIR=$STATE/lab
LAB_BMC_USER=admin
LAB_BMC_PASSWORD=${WINGS_LAB_BMC_PASSWORD:-wings}
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
LAB_MAX_SITES=2

# The site the functions below act on, in globals: its namespace, network, the tag of its
# processes (dhcp-service-lab, lab-kafka; dhcp-service-lab2, lab2-kafka), its site name in events,
# and the host ports of its admin tunnels. Site 1 is the lab as it always was.
lab_site() { # S (1 or 2)
  LAB_S=$1
  LAB_BRIDGE=wings0   # one bridge per namespace: the same name in each
  if (($1 == 1)); then
    LAB_NS=${WINGS_LAB_NS:-wings-lab} LAB_NET=10.77.0 LAB_V6=fd77 LAB_TAG=lab LAB_SITE=$SITE
    LAB_DHCP_ADMIN_PORT=${WINGS_LAB_DHCP_ADMIN_PORT:-8091}
    LAB_TFTP_ADMIN_PORT=${WINGS_LAB_TFTP_ADMIN_PORT:-8092}
    LAB_HTTP_ADMIN_PORT=${WINGS_LAB_HTTP_BOOT_ADMIN_PORT:-8090}
    LAB_BMC_PORT=${HTTP_PORT[bmc-service]}   # the suite's bmc-service runs in site 1's namespace
  else
    LAB_NS=${WINGS_LAB_NS:-wings-lab}-$1 LAB_NET=10.$((76 + $1)).0 LAB_V6=fd$((76 + $1)) LAB_TAG=lab$1 LAB_SITE=$SITE-$1
    LAB_DHCP_ADMIN_PORT=${WINGS_LAB2_DHCP_ADMIN_PORT:-8093}
    LAB_TFTP_ADMIN_PORT=${WINGS_LAB2_TFTP_ADMIN_PORT:-8094}
    LAB_HTTP_ADMIN_PORT=${WINGS_LAB2_HTTP_BOOT_ADMIN_PORT:-8095}
    LAB_BMC_PORT=${WINGS_LAB2_BMC_PORT:-8096}
  fi
}
lab_site 1
# The host's own network namespace, by a name of its own: every site's tunnels enter it.
LAB_HOST_NS=${WINGS_LAB_NS:-wings-lab}-host
# How many sites the lab has: chosen by `up --lab N --sites S`, kept while the lab lives.
lab_sites() { cat "$LAB_DIR/sites" 2>/dev/null || echo 1; }
# The count of sites is the lab's while it lives: machines are placed by it.
lab_choose_sites() { # S
  [[ $1 == "$(lab_sites)" ]] && return 0
  lab_site 1
  lab_exists && die "--sites $1: the running lab has $(lab_sites) site(s); ./wings down first"
  mkdir -p "$LAB_DIR"
  echo "$1" >"$LAB_DIR/sites"
}
# Machine N's site: the machines alternate (lab-1 in site 1, lab-2 in site 2, lab-3 in site 1...).
lab_machine_site() { echo $(( ($1 - 1) % $(lab_sites) + 1 )); }

lab_public_url() { echo "http://$LAB_NET.1:${HTTP_PORT[http-boot-service]}"; }
lab_exists() { ip netns list 2>/dev/null | awk '{ print $1 }' | grep -qx "$LAB_NS"; }
lab_mac() { printf '52:54:00:77:00:%02x' $((0x10 + $1)); }
lab_bmc_address() { echo "$LAB_NET.$((10 + $1))"; }   # of machine N, in the current site
# ipmitool against machine N's BMC, from inside its site (cipher suite 3: ipmi_sim refuses 17).
# (The password from a file: a command line is readable by anyone in /proc.)
lab_ipmitool() { local n=$1; shift; lab_site "$(lab_machine_site "$n")"; ip netns exec "$LAB_NS" ipmitool -I lanplus \
  -H "$(lab_bmc_address "$n")" -p 623 -U "$LAB_BMC_USER" -f "$LAB_DIR/bmc-password" -C 3 "$@"; }

lab_network() {
  lab_exists && return 0
  ip netns add "$LAB_NS"
  ip -n "$LAB_NS" link set lo up
  ip -n "$LAB_NS" link add "$LAB_BRIDGE" type bridge stp_state 0 forward_delay 0
  ip -n "$LAB_NS" addr add "$LAB_NET.1/24" dev "$LAB_BRIDGE"
  ip -n "$LAB_NS" addr add "$LAB_V6::1/64" dev "$LAB_BRIDGE" nodad
  ip -n "$LAB_NS" link set "$LAB_BRIDGE" up
  # Limited broadcasts (255.255.255.255) leave by the bridge.
  ip -n "$LAB_NS" route add 255.255.255.255/32 dev "$LAB_BRIDGE"
}

lab_java() { # NAME ADMIN_PORT -D... : a service inside the current site, with Kafka through the tunnel
  local name=$1 port=$2; shift 2
  start_process "$name-$LAB_TAG" "$LOGS/$name-$LAB_TAG.log" ip netns exec "$LAB_NS" \
    java $JAVA_SERVICE_OPTS -Djava.io.tmpdir="$TMP" -Dwings.site="$LAB_SITE" -Dwings.instance="$LAB_TAG" \
    -Dkafka.bootstrap.servers="$(kafka_bootstrap)" -Dquarkus.http.port="$port" "$@" \
    -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar"
}

lab_up() { # MACHINES UEFI HTTP SITES: machines in all, the last UEFI of them on UEFI firmware, the last HTTP by HTTP Boot
  local machines=$1 uefi=$2 http=${3:-0} sites=${4:-1} i name mac tap dir firmware fw boot site
  command -v socat >/dev/null || die "the lab needs socat (./wings up installs it as root)"
  [[ $(id -u) == 0 ]] || die "the lab creates a network namespace: run ./wings up --lab as root"
  ((uefi)) && { [[ -f $OVMF_CODE ]] || die "--uefi needs OVMF ($OVMF_CODE, package ovmf)"; }
  mkdir -p "$LAB_DIR"   # (the count of sites was fixed by cmd_up's lab_choose_sites, before any service started)
  (umask 077 && printf '%s' "$LAB_BMC_PASSWORD" >"$LAB_DIR/bmc-password")
  alive kafka || die "the lab needs the suite's Kafka running"
  # The host's network namespace, by a name of its own: the tunnels enter it for each connection.
  # (It was /proc/<the broker's pid>/ns/net: a broker killed in a fault test took every tunnel,
  # PostgreSQL's too, with it.)
  [[ -e /run/netns/$LAB_HOST_NS ]] || ip netns attach "$LAB_HOST_NS" $$
  for ((site = 1; site <= sites; site++)); do
    lab_site "$site"
    lab_site_up
  done
  lab_machines_up "$machines" "$uefi" "$http"
  for ((site = 1; site <= sites; site++)); do
    lab_site "$site"
    say "lab: site $LAB_SITE on $LAB_BRIDGE ($LAB_NET.0/24) in namespace $LAB_NS"
  done
  say "lab: $machines machine(s) in $sites site(s); ./wings lab status"
  lab_site 1
}

# The current site's namespace, bridge, tunnels and edge services, each started if missing; then
# waits until its services are ready.
lab_site_up() {
  local host_ns=/run/netns/$LAB_HOST_NS node port i
  lab_network
  # IPv6 router advertisements only (no DHCPv6, no DNS): iPXE stops waiting for IPv6 autoconfiguration.
  alive "$LAB_TAG-ra" || start_process "$LAB_TAG-ra" "$LOGS/lab.log" ip netns exec "$LAB_NS" dnsmasq --keep-in-foreground \
    --conf-file=/dev/null --port=0 --interface="$LAB_BRIDGE" --bind-interfaces --enable-ra --dhcp-range="$LAB_V6::,ra-only" \
    --pid-file="$LAB_DIR/dnsmasq-$LAB_TAG.pid"
  # Kafka into the lab, each broker at its own port (its advertised 127.0.0.1:port then works on
  # both sides).
  for node in $(kafka_nodes); do
    alive "$LAB_TAG-$node" || start_process "$LAB_TAG-$node" "$LOGS/lab.log" ip netns exec "$LAB_NS" socat \
      "TCP-LISTEN:${KAFKA_PORT_OF[$node]},bind=127.0.0.1,fork,reuseaddr" \
      "EXEC:nsenter --net=$host_ns socat STDIO TCP\\:127.0.0.1\\:${KAFKA_PORT_OF[$node]}"
  done
  # PostgreSQL into the lab too, for bmc-service and the image cache.
  alive "$LAB_TAG-pg" || start_process "$LAB_TAG-pg" "$LOGS/lab.log" ip netns exec "$LAB_NS" socat \
    "TCP-LISTEN:$PG_PORT,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:nsenter --net=$host_ns socat STDIO TCP\\:127.0.0.1\\:$PG_PORT"
  lab_bmc_service
  alive "dhcp-service-$LAB_TAG" || lab_java dhcp-service "$LAB_DHCP_ADMIN_PORT" -Dwings.dhcp.bind-address=0.0.0.0 \
    -Dwings.dhcp.port=67 -Dwings.dhcp.server-address="$LAB_NET.1" -Dwings.dhcp.data-dir="$DATA/dhcp-$LAB_TAG" \
    -Dwings.dhcp.subnets.lab.network="$LAB_NET.0/24" -Dwings.dhcp.subnets.lab.pools="$LAB_NET.100-$LAB_NET.199" \
    -Dwings.dhcp.subnets.lab.router="$LAB_NET.1" -Dwings.dhcp.subnets.lab.dns="$LAB_NET.1" \
    -Dwings.dhcp.boot.http-base="$(lab_public_url)" -Dwings.dhcp.boot.tftp-server="$LAB_NET.1" \
    -Dwings.dhcp.boot.ipxe-firmware=chainload
  # http-boot-service for the lab's machines, on the lab bridge itself: their requests keep their
  # source address, so it mints agent tokens only for the machine a lease names (the secret by
  # environment, not on a command line).
  export WINGS_HTTP_BOOT_AGENT_SECRET
  WINGS_HTTP_BOOT_AGENT_SECRET=$(agent_secret)
  alive "http-boot-service-$LAB_TAG" || lab_java http-boot-service "${HTTP_PORT[http-boot-service]}" \
    -Dquarkus.http.host="$LAB_NET.1" -Dwings.http-boot.public-url="$(lab_public_url)" \
    -Dwings.http-boot.files-root="$FILES_ROOT" -Dwings.http-boot.templates-dir="$STATE/templates"
  unset WINGS_HTTP_BOOT_AGENT_SECRET
  alive "tftp-service-$LAB_TAG" || lab_java tftp-service "$LAB_TFTP_ADMIN_PORT" -Dwings.tftp.bind-address="$LAB_NET.1" \
    -Dwings.tftp.port=69 -Dwings.tftp.root="$TFTP_ROOT"
  lab_image_cache "$host_ns"
  # The lab services' admin ports, on the host's loopback.
  alive "$LAB_TAG-dhcp-admin" || start_process "$LAB_TAG-dhcp-admin" "$LOGS/lab.log" socat \
    "TCP-LISTEN:$LAB_DHCP_ADMIN_PORT,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:ip netns exec $LAB_NS socat STDIO TCP\\:127.0.0.1\\:$LAB_DHCP_ADMIN_PORT"
  alive "$LAB_TAG-tftp-admin" || start_process "$LAB_TAG-tftp-admin" "$LOGS/lab.log" socat \
    "TCP-LISTEN:$LAB_TFTP_ADMIN_PORT,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:ip netns exec $LAB_NS socat STDIO TCP\\:127.0.0.1\\:$LAB_TFTP_ADMIN_PORT"
  alive "$LAB_TAG-http-admin" || start_process "$LAB_TAG-http-admin" "$LOGS/lab.log" socat \
    "TCP-LISTEN:$LAB_HTTP_ADMIN_PORT,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:ip netns exec $LAB_NS socat STDIO TCP\\:$LAB_NET.1\\:${HTTP_PORT[http-boot-service]}"
  for port in $LAB_DHCP_ADMIN_PORT $LAB_TFTP_ADMIN_PORT $LAB_HTTP_ADMIN_PORT; do
    for ((i = 0; i < 240; i++)); do
      curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break
      sleep 0.5
    done
    curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" || die "lab: the service on admin port $port is not ready (./wings logs dhcp-service-$LAB_TAG / tftp-service-$LAB_TAG / http-boot-service-$LAB_TAG)"
  done
}

lab_machines_up() { # MACHINES UEFI HTTP
  local machines=$1 uefi=$2 http=$3 i name mac tap dir firmware fw boot
  # A second `up --lab` (after a crash, say) starts what is missing and leaves running machines
  # alone: their boot device and power are the orchestrator's by then.
  local started=()
  for ((i = 1; i <= machines; i++)); do
    name=lab-$i mac=$(lab_mac "$i") tap=lab$i dir=$LAB_DIR/lab-$i
    alive "$name-bmc" && continue
    lab_site "$(lab_machine_site "$i")"
    started+=("$i")
    mkdir -p "$dir"
    [[ -f $dir/disk.raw ]] || truncate -s 2G "$dir/disk.raw"
    ip -n "$LAB_NS" link show "$tap" >/dev/null 2>&1 || {
      ip -n "$LAB_NS" tuntap add dev "$tap" mode tap
      ip -n "$LAB_NS" link set "$tap" master "$LAB_BRIDGE"
      ip -n "$LAB_NS" link set "$tap" up
    }
    # BIOS: SeaBIOS and the NIC's iPXE ROM, which dhcp-service chainloads (ipxe-firmware=chainload)
    # the way it would a vendor PXE ROM: undionly.kpxe by TFTP, then the script. sga puts the
    # BIOS and iPXE screens on the serial log.
    fw=bios boot=pxe firmware=(-device "virtio-net-pci,netdev=n0,mac=$mac,bootindex=1" -device sga)
    if ((i > machines - uefi)); then
      fw=uefi
      [[ -f $dir/OVMF_VARS.fd ]] || cp "$OVMF_VARS" "$dir/OVMF_VARS.fd"
      # No option ROM on the NIC: the firmware's own PXE, then snponly.efi by TFTP.
      firmware=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" -drive "if=pflash,format=raw,file=$dir/OVMF_VARS.fd"
        -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1")
      if ((i > machines - http)); then
        # UEFI HTTP Boot, as servers that skip TFTP do: OVMF's PXE switched off (its fw_cfg
        # knobs, edk2 OvmfPkg/RUNTIME_CONFIG.md), so HttpBootDxe is the NIC's only boot option.
        boot=http
        firmware+=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=no)
      fi
    fi
    printf '%s %s %s %s %s\n' "$mac" "$fw" "$(lab_bmc_address "$i")" "$boot" "$LAB_SITE" >"$dir/machine"
    # The machine itself, as its BMC starts it: detached, its pid in qemu.pid. One vCPU: under TCG
    # each vCPU is a busy host thread, and N machines boot at once on the host's few cores. The
    # network first, then the disk, as a server's boot order: a machine whose intent is local gets
    # no boot file and falls through to its disk. The disk needs its own bootindex on UEFI: OVMF
    # connects only the devices QEMU's boot order names, so without one it never saw the disk.
    printf '%q ' qemu-system-x86_64 -name "$name" -accel tcg -m 512 -smp 1 -display none -serial "file:$dir/serial.log" \
      -nodefaults -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" "${firmware[@]}" \
      -drive "file=$dir/disk.raw,format=raw,if=none,id=disk0" -device "virtio-blk-pci,drive=disk0,bootindex=2" \
      -daemonize -pidfile "$dir/qemu.pid" >"$dir/qemu.cmd"
    # The same machine with the disk first: what its BMC starts once its boot device is the disk.
    sed 's/bootindex=1/bootindex=9/; s/bootindex=2/bootindex=1/; s/bootindex=9/bootindex=2/' "$dir/qemu.cmd" >"$dir/qemu-disk.cmd"
    lab_bmc "$i" "$dir"
    for ((t = 0; t < 50; t++)); do lab_ipmitool "$i" chassis power status >/dev/null 2>&1 && break; sleep 0.2; done
    lab_register "$i" "$mac" || die "lab: $name could not be registered in inventory-service and bmc-service"
  done
  # Boot device PXE and power on, through bmc-service (the machines at once: each command waits
  # for its power to be read back on).
  local pids=() failed=0
  for i in "${started[@]}"; do
    [[ -f $LAB_DIR/lab-$i/registered ]] || continue
    lab_power_on "$i" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  ((failed == 0)) || die "lab: bmc-service did not power every machine on (./wings logs bmc-service)"
  return 0
}

# The site's image cache: an image-service in cache mode on the lab bridge, where the machines
# download images (a site's machines always download from their own site). It pulls each blob
# once from the central image-service, tunnelled into the namespace at the same port on its
# loopback, and checks its digest before it keeps it. Its own database, through the PostgreSQL tunnel.
lab_image_cache() { # HOST_NETNS
  local port=${HTTP_PORT[image-service]} i db=image_cache
  ((LAB_S == 1)) || db=image_cache_$LAB_S
  alive "$LAB_TAG-image-upstream" || start_process "$LAB_TAG-image-upstream" "$LOGS/lab.log" ip netns exec "$LAB_NS" socat \
    "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:nsenter --net=$1 socat STDIO TCP\\:127.0.0.1\\:$port"
  alive "image-service-$LAB_TAG" || lab_java image-service "$port" -Dquarkus.http.host="$LAB_NET.1" \
    -Dwings.image.cache.upstream="http://127.0.0.1:$port" -Dwings.image.blob-store="$DATA/blobs-$LAB_TAG" \
    -Dwings.image.trusted-keys-file="$(image_signing_key).pub" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$PG_PORT/$db" \
    -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/$db"
  for ((i = 0; i < 240; i++)); do
    ip netns exec "$LAB_NS" curl -sf -o /dev/null "http://$LAB_NET.1:$port/q/health/ready" && return 0
    alive "image-service-$LAB_TAG" || break
    sleep 0.5
  done
  show_log_tail "$LOGS/image-service-$LAB_TAG.log"
  die "lab: the site's image cache did not become ready (./wings logs image-service-$LAB_TAG)"
}

# bmc-service, the site's edge on the BMC network: inside the site's namespace, where the machines'
# BMCs are, with Kafka and PostgreSQL tunnelled in and its API tunnelled out to the host's loopback.
# Site 1's is the suite's bmc-service, at 127.0.0.1:8084 where ./wings, the tests and the console
# always reach it; site 2's is bmc-service-lab2 (WINGS_LAB2_BMC_PORT). Both keep their state in the
# one `bmc` database (each command row names the instance that carries it out), so either API
# answers for any machine: a command goes to Kafka, and the machine's site carries it out.
lab_bmc_service() {
  local port=${HTTP_PORT[bmc-service]} name=bmc-service i
  if ((LAB_S == 1)); then
    if alive bmc-service && [[ $(cat "$RUN/bmc-service.where" 2>/dev/null) != lab ]]; then
      say "moving bmc-service into the lab namespace $LAB_NS (it reaches the lab's BMCs there)"
      stop_process bmc-service
    fi
    if ! alive bmc-service; then
      service_command bmc-service
      start_process bmc-service "$LOGS/bmc-service.log" ip netns exec "$LAB_NS" "${SERVICE_CMD[@]}"
      echo lab >"$RUN/bmc-service.where"
    fi
  else
    name=bmc-service-$LAB_TAG
    export WINGS_BMC_VAULT_MASTER_KEY_FILE
    WINGS_BMC_VAULT_MASTER_KEY_FILE=$(bmc_master_key)
    alive "$name" || lab_java bmc-service "$port" \
      -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$PG_PORT/${DATABASE[bmc-service]}" \
      -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/${DATABASE[bmc-service]}"
    unset WINGS_BMC_VAULT_MASTER_KEY_FILE
  fi
  alive "$LAB_TAG-bmc-http" || start_process "$LAB_TAG-bmc-http" "$LOGS/lab.log" socat "TCP-LISTEN:$LAB_BMC_PORT,bind=127.0.0.1,fork,reuseaddr" \
    "EXEC:ip netns exec $LAB_NS socat STDIO TCP\\:127.0.0.1\\:$port"
  for ((i = 0; i < 240; i++)); do
    curl -sf -o /dev/null -m 3 "http://127.0.0.1:$LAB_BMC_PORT/q/health/ready" && return 0
    alive "$name" || break
    sleep 0.5
  done
  show_log_tail "$LOGS/$name.log"
  die "lab: $name did not become ready in the namespace $LAB_NS (./wings logs $name)"
}

# Machine N in inventory-service with its BMC (address, protocol, a credentials reference), and the
# BMC's credentials in bmc-service's vault. Secrets go through stdin, never a command line.
lab_register() { # N MAC
  local n=$1 mac=$2 ref="lab:$LAB_NS/lab-$1" inv="http://127.0.0.1:${HTTP_PORT[inventory-service]}"
  local bmc="http://127.0.0.1:${HTTP_PORT[bmc-service]}" id code bmc_json
  printf '{"username":"%s","password":"%s"}' "$LAB_BMC_USER" "$LAB_BMC_PASSWORD" \
    | curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' --data-binary @- "$bmc/api/v1/credentials/$ref" || return 1
  bmc_json="{\"address\":\"$(lab_bmc_address "$n")\",\"protocol\":\"ipmi\",\"credentialsRef\":\"$ref\"}"
  id=$(curl -s "$inv/api/v1/machines/by-mac/$mac" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
  if [[ -z $id ]]; then
    id=$(curl -sf -X POST -H 'Content-Type: application/json' "$inv/api/v1/machines" --data-binary \
      "{\"site\":\"$LAB_SITE\",\"hostname\":\"lab-$n\",\"labels\":{\"lab\":\"$LAB_NS\"},\"bmc\":$bmc_json,\"nics\":[{\"mac\":\"$mac\",\"boot\":true}]}" \
      | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4) || return 1
  else
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/merge-patch+json' \
      "$inv/api/v1/machines/$id" --data-binary "{\"bmc\":$bmc_json}")
    [[ $code == 200 ]] || return 1
  fi
  [[ -n $id ]] || return 1
  echo "$id" >"$LAB_DIR/lab-$n/registered"
  # bmc-service learns the endpoint from inventory's fact, a moment later: the suite's, and the
  # machine's site's (the one that carries out its commands).
  for bmc in "$bmc" "http://127.0.0.1:$LAB_BMC_PORT"; do
    for ((t = 0; t < 120; t++)); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' "$bmc/api/v1/machines/$id/power") == 200 ]] && break
      sleep 0.25
    done
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$bmc/api/v1/machines/$id/power") == 200 ]] || return 1
  done
  return 0
}

lab_power_on() { # N: boot device PXE, then power on, each a bmc-service command confirmed by reading back
  local n=$1 id bmc="http://127.0.0.1:${HTTP_PORT[bmc-service]}" efi=false answer
  id=$(cat "$LAB_DIR/lab-$n/registered")
  [[ $(cut -d' ' -f2 "$LAB_DIR/lab-$n/machine") == uefi ]] && efi=true
  answer=$(curl -s -X PUT -H 'Content-Type: application/json' --data-binary "{\"device\":\"pxe\",\"efi\":$efi}" \
    "$bmc/api/v1/machines/$id/boot-device?wait=60&requestedBy=wings-lab")
  grep -q '"state":"completed"' <<<"$answer" || { say "lab: lab-$n boot device: $answer" >&2; return 1; }
  answer=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary '{"action":"on"}' \
    "$bmc/api/v1/machines/$id/power?wait=60&requestedBy=wings-lab")
  grep -q '"state":"completed"' <<<"$answer" || { say "lab: lab-$n power on: $answer" >&2; return 1; }
}

# Machine N's BMC: ipmi_sim on its own lab address, powering the QEMU machine on and off and
# setting its boot device through a chassis_control script (field notes, IPMI).
lab_bmc() { # N DIR
  local n=$1 dir=$2 address; address=$(lab_bmc_address "$n")
  ip -n "$LAB_NS" addr add "$address/24" dev "$LAB_BRIDGE" 2>/dev/null || true
  mkdir -p "$dir/bmc-state"
  cat >"$dir/chassis" <<'SCRIPT'
#!/bin/bash
# ipmi_sim's chassis_control: SCRIPT MC get power|boot..., or SCRIPT MC set power 0|1 | boot DEV | reset 1 | shutdown 1
dir=$(dirname "$0")
op=$2; shift 2
running() { [[ -f $dir/qemu.pid ]] && kill -0 "$(cat "$dir/qemu.pid")" 2>/dev/null; }
# The power-on instant (epoch seconds) is kept for the timelines: the BMC is where a boot starts.
# The boot device set through IPMI orders the boot, as a real BMC's does: ipmi_sim calls the hard
# disk "default". QEMU takes its order at start, so a power-on or a cycle applies it.
start() {
  running && return 0
  local cmd=qemu.cmd
  case $(cat "$dir/bootdev" 2>/dev/null) in default | disk) cmd=qemu-disk.cmd ;; esac
  date +%s.%N >"$dir/powered-on"
  bash "$dir/$cmd" </dev/null >>"$dir/qemu.log" 2>&1
}
stop() { if running; then kill "$(cat "$dir/qemu.pid")"; for i in $(seq 1 50); do running || break; sleep 0.1; done; fi; }
if [[ $op == get ]]; then
  for p in "$@"; do
    case $p in
      power) running && echo power:1 || echo power:0 ;;
      boot) echo "boot:$(cat "$dir/bootdev" 2>/dev/null || echo pxe)" ;;
    esac
  done
  exit 0
fi
while (($# >= 2)); do
  case $1 in
    power) if [[ $2 == 1 ]]; then start; else stop; fi ;;
    reset) stop; start ;;
    shutdown) stop ;;
    boot) echo "$2" >"$dir/bootdev" ;;
  esac
  shift 2
done
SCRIPT
  chmod +x "$dir/chassis"
  cat >"$dir/lan.conf" <<CONF
name "lab-$n"
set_working_mc 0x20
  startlan 1
    addr $address 623
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(printf 'a1b2c3d4e5f60718293a4b5c6d7e8f%02x' "$n")
  endlan
  chassis_control "$dir/chassis 0x20"
  user 2 true "$LAB_BMC_USER" "$LAB_BMC_PASSWORD" admin 10 none md2 md5 straight
CONF
  printf '%s\n' 'mc_setbmc 0x20' 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02' 'sel_enable 0x20 1000 0x0a' \
    'mc_enable 0x20' >"$dir/bmc.emu"
  start_process "lab-$n-bmc" "$LOGS/lab-$n-bmc.log" ip netns exec "$LAB_NS" ipmi_sim -c "$dir/lan.conf" -f "$dir/bmc.emu" \
    -s "$dir/bmc-state" -n
}

lab_status() {
  printf '%-8s %-18s %-5s %-5s %-12s %-6s %-14s %-12s %-10s %s\n' MACHINE MAC FW BOOT BMC POWER ADDRESS INVENTORY SITE SERIAL-LOG
  local dir name mac fw bmc boot site power ip state leases
  declare -A leases_of=()
  for dir in "$LAB_DIR"/lab-*; do
    [[ -f $dir/machine ]] || continue
    name=${dir##*/}
    read -r mac fw bmc boot site <"$dir/machine"
    # Each site's dhcp-service holds its own machines' leases.
    lab_site "$(lab_machine_site "${name#lab-}")"
    [[ -v leases_of[$LAB_S] ]] || leases_of[$LAB_S]=$(curl -s "http://127.0.0.1:$LAB_DHCP_ADMIN_PORT/api/v1/dhcp/leases" 2>/dev/null || true)
    leases=${leases_of[$LAB_S]}
    [[ -f $dir/qemu.pid ]] && kill -0 "$(cat "$dir/qemu.pid")" 2>/dev/null && power=on || power=off
    # (|| true: no lease or no machine yet is an answer, not an error under set -e)
    ip=$(grep -o "{[^}]*\"$mac\"[^}]*}" <<<"$leases" | grep -o '"ip":"[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
    state=$(curl -s "http://127.0.0.1:${HTTP_PORT[inventory-service]}/api/v1/machines/by-mac/$mac" 2>/dev/null \
      | grep -o '"state":"[^"]*"' | head -n 1 | cut -d'"' -f4 || true)
    printf '%-8s %-18s %-5s %-5s %-12s %-6s %-14s %-12s %-10s %s\n' "$name" "$mac" "$fw" "${boot:-pxe}" "${bmc:--}" "$power" "${ip:--}" \
      "${state:--}" "${site:-$SITE}" "$dir/serial.log"
  done
  lab_site 1
}

lab_down() {
  local dir name any=0 site tag node
  for dir in "$LAB_DIR"/lab-*; do
    [[ -d $dir ]] || continue
    name=${dir##*/}
    if [[ -f $dir/qemu.pid ]] && kill -0 "$(cat "$dir/qemu.pid")" 2>/dev/null; then
      any=1
      kill "$(cat "$dir/qemu.pid")" 2>/dev/null || true
    fi
    rm -f "$dir/qemu.pid" "$dir/registered"
    alive "$name-bmc" && any=1
    stop_process "$name-bmc"
  done
  # bmc-service lives in the namespace while the lab runs: stopped in order (it closes its BMC
  # sessions and says service.stopped) before the namespace's processes are killed.
  if [[ $(cat "$RUN/bmc-service.where" 2>/dev/null) == lab ]]; then
    alive bmc-service && any=1
    stop_process bmc-service
    rm -f "$RUN/bmc-service.where"
  fi
  for ((site = LAB_MAX_SITES; site >= 1; site--)); do
    lab_site "$site"
    tag=$LAB_TAG
    for name in "bmc-service-$tag" "dhcp-service-$tag" "tftp-service-$tag" "http-boot-service-$tag" "image-service-$tag" \
      "$tag-image-upstream" "$tag-dhcp-admin" "$tag-tftp-admin" "$tag-http-admin" "$tag-bmc-http" "$tag-pg" "$tag-ra"; do
      alive "$name" && any=1
      stop_process "$name"
    done
    for node in "${KAFKA_NODES[@]}"; do
      alive "$tag-$node" && any=1
      stop_process "$tag-$node"
    done
    if lab_exists; then
      any=1
      ip netns pids "$LAB_NS" 2>/dev/null | xargs -r kill -9
      ip netns del "$LAB_NS"
      say "lab: namespace $LAB_NS removed"
    fi
  done
  lab_site 1
  # The host's own namespace by name: deleting the name unmounts it, nothing is killed.
  [[ -e /run/netns/$LAB_HOST_NS ]] && ip netns del "$LAB_HOST_NS"
  rm -f "$LAB_DIR/sites"
  ((any)) && say "lab stopped (disks and serial logs kept in $LAB_DIR)"
  return 0
}

# Site S cut off from Kafka, as a site whose WAN link is lost: a firewall rule (nftables) in its
# namespace resets every connection to the brokers' tunnels, so its edges run on their local views
# and hold their facts. Only Kafka: PostgreSQL and the image upstream stay reachable.
lab_isolate() { # S
  [[ ${1:-} =~ ^[1-9]$ ]] && (($1 <= $(lab_sites))) || die "usage: ./wings lab isolate SITE (1-$(lab_sites))"
  lab_site "$1"
  lab_exists || die "lab: no namespace $LAB_NS (./wings up --lab N --sites $(lab_sites))"
  local node ports=
  for node in "${KAFKA_NODES[@]}"; do ports+="${ports:+, }${KAFKA_PORT_OF[$node]}"; done
  ip netns exec "$LAB_NS" nft -f - <<NFT || die "lab: nft refused the rule"
table inet wings_isolated
delete table inet wings_isolated
table inet wings_isolated {
  chain out {
    type filter hook output priority 0; policy accept;
    tcp dport { $ports } reject with tcp reset
  }
}
NFT
  say "lab: site $LAB_SITE ($LAB_NS) cut off from Kafka (tcp $ports reset); ./wings lab reconnect $1"
}

lab_reconnect() { # S
  [[ ${1:-} =~ ^[1-9]$ ]] && (($1 <= $(lab_sites))) || die "usage: ./wings lab reconnect SITE (1-$(lab_sites))"
  lab_site "$1"
  ip netns exec "$LAB_NS" nft delete table inet wings_isolated 2>/dev/null || true
  say "lab: site $LAB_SITE ($LAB_NS) reaches Kafka again"
}
