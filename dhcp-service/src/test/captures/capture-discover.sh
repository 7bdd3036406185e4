#!/usr/bin/env bash
# Captures the first DHCPDISCOVER a real DHCP client sends, as a golden test resource.
# Runs entirely inside two network namespaces it creates (client and server joined by a veth
# pair) and deletes them when done: nothing is sent on any host interface.
#
#   sudo ./capture-discover.sh NAME -- CLIENT COMMAND (use the interface name "wc0")
#   e.g. ./capture-discover.sh udhcpc -- busybox udhcpc -f -q -n -t 1 -T 1 -i wc0 -s /bin/true
# For a QEMU guest, give it the tap "wt0", which is bridged to wc0 inside the client namespace:
#   ./capture-discover.sh ipxe-bios -- qemu-system-x86_64 -accel tcg -m 256 -display none -nodefaults \
#       -netdev tap,id=n0,ifname=wt0,script=no,downscript=no \
#       -device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,bootindex=1 -boot n
set -euo pipefail
name=$1; shift; [[ $1 == -- ]] && shift
out=$(cd "$(dirname "$0")/../resources/golden" && pwd)/capture-$name-discover.hex
ns_s=wcap-srv-$$ ns_c=wcap-cli-$$
cleanup() { ip netns del "$ns_s" 2>/dev/null || true; ip netns del "$ns_c" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns_s"; ip netns add "$ns_c"
ip link add ws0 netns "$ns_s" type veth peer name wc0 netns "$ns_c"
ip -n "$ns_s" link set lo up; ip -n "$ns_c" link set lo up
ip -n "$ns_s" addr add 10.99.0.1/24 dev ws0
ip -n "$ns_s" link set ws0 up; ip -n "$ns_c" link set wc0 up
ip -n "$ns_c" link add wb0 type bridge stp_state 0 forward_delay 0
ip -n "$ns_c" tuntap add dev wt0 mode tap
ip -n "$ns_c" link set wt0 master wb0; ip -n "$ns_c" link set wt0 up
# Fixed MAC so the capture is reproducible.
ip -n "$ns_c" link set wc0 address 52:54:00:12:34:56
ip netns exec "$ns_s" python3 - "$out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"ws0")
s.bind(("", 67))            # inside the capture namespace only
s.settimeout(30)
data, peer = s.recvfrom(4096)
with open(sys.argv[1], "w") as f:
    f.write("# first DHCPDISCOVER captured by dhcp-service/src/test/captures/capture-discover.sh\n")
    for i in range(0, len(data), 16):
        f.write(data[i:i + 16].hex() + "\n")
print("captured", len(data), "bytes from", peer)
PY
listener=$!
sleep 0.5
if [[ $1 == qemu-* ]]; then   # a guest: its tap and the veth join one bridge
  ip -n "$ns_c" link set wc0 master wb0; ip -n "$ns_c" link set wb0 up
fi
ip netns exec "$ns_c" timeout 25 "$@" >/dev/null 2>&1 || true
wait "$listener"
