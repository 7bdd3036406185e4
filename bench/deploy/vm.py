#!/usr/bin/env python3
"""Part 1 of bench/deploy/run: one RAM OS VM, the same image written both ways, RUNS times.

QEMU boots the RAM OS (TCG, 1 vCPU, 1 GiB, virtio disk and NIC on QEMU's user network, where
10.0.2.2 is the host's loopback) with wings.debug=1, which leaves a root shell on the serial
console; this script drives that shell over QEMU's serial socket:
  plain  wget -O - URL | zstd -dcq | dd of=/dev/vda bs=1M iflag=fullblock oflag=direct; sync
  agent  the agent's own write_image (deploy.sh) with the same parameters: the same pipe, plus
         the download digest, the block count and the read-back of the disk.
Times come from the VM's /proc/uptime. Prints "plain S" and "agent S ..." lines.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

p = argparse.ArgumentParser()
for a in ("kernel", "initrd", "disk", "url", "sha256", "raw-sha256", "raw-size", "log"):
    p.add_argument("--" + a, required=True)
p.add_argument("--runs", type=int, default=3)
p.add_argument("--plain", action=argparse.BooleanOptionalAction, default=True, help="also time the plain pipe")
p.add_argument("--first-boot", nargs=4, metavar=("ROOT", "KERNEL", "INITRD", "CMDLINE"),
               help="after the writes: seed NoCloud with a phone_home to this script, kexec with these boot hints, "
                    "and time the installed system's first boot until its phone_home arrives")
args = p.parse_args()

# The installed system's phone_home lands here (QEMU's 10.0.2.2 is the host's loopback).
phoned = []
if args.first_boot:
    import http.server
    import threading

    class PhoneHome(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode(errors="replace")
            phoned.append((time.time(), self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), PhoneHome)
    threading.Thread(target=listener.serve_forever, daemon=True).start()

sock_path = os.path.join(tempfile.mkdtemp(prefix="wings-bench-vm-"), "serial.sock")
qemu = subprocess.Popen([
    "qemu-system-x86_64", "-accel", "tcg", "-m", "1024", "-smp", "1", "-display", "none", "-nodefaults", "-no-reboot",
    "-chardev", f"socket,id=s0,path={sock_path},server=on,wait=off,logfile={args.log}", "-serial", "chardev:s0",
    "-kernel", args.kernel, "-initrd", args.initrd, "-append", "console=ttyS0,115200 quiet wings.debug=1",
    "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0",
    "-drive", f"file={args.disk},format=raw,if=virtio"], stdin=subprocess.DEVNULL)
try:
    for _ in range(100):
        if os.path.exists(sock_path):
            break
        time.sleep(0.1)
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    buf = b""

    def until(pattern, timeout):
        global buf
        deadline = time.time() + timeout
        rx = re.compile(pattern)
        while time.time() < deadline:
            m = rx.search(buf.decode(errors="replace"))
            if m:
                buf = buf[m.end():]
                return m
            s.settimeout(max(0.1, deadline - time.time()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            buf += chunk
        sys.exit(f"vm: no '{pattern}' within {timeout} s (serial log: {args.log})")

    def run(command, tag, timeout):
        # The marker is split in the command, so the shell's echo of the command never matches it.
        s.sendall((command + f"; echo __{tag[:2]}''{tag[2:]}__ $?\n").encode())
        return until(rf"__{tag}__ (\d+)", timeout)

    until(r"wings: RAM OS", 180)
    time.sleep(3)
    s.sendall(b"\n")
    until(r"# ", 60)
    run("ip link set eth0 up && udhcpc -i eth0 -s /etc/udhcpc.script -n -q -t 10 >/dev/null 2>&1", "NET", 60)
    run("RUN=/tmp/bench; mkdir -p $RUN; SYS=/sys; read1() { cat \"$1\" 2>/dev/null | head -n 1; }; log() { :; }; "
        "call() { return 0; }; . /usr/lib/wings/deploy.sh", "LIB", 30)
    up = "$(cut -d' ' -f1 /proc/uptime)"
    for _ in range(args.runs if args.plain else 0):
        s.sendall((f"A={up}; wget -q -O - {args.url} | zstd -dcq | dd of=/dev/vda bs=1M iflag=fullblock oflag=direct "
                   f"2>/dev/null; sync; B={up}; echo __PL''AIN__ $A $B\n").encode())
        m = until(r"__PLAIN__ ([0-9.]+) ([0-9.]+)", 1800)
        print(f"plain {float(m.group(2)) - float(m.group(1)):.2f}", flush=True)
    for _ in range(args.runs):
        s.sendall((f"url={args.url} format=raw.zst sha256={args.sha256} raw_sha256={args.raw_sha256} raw_size={args.raw_size}; "
                   f"A={up}; write_image bench; R=$?; B={up}; echo __AG''ENT__ $R $A $B \"$DONE$WHY\"\n").encode())
        m = until(r"__AGENT__ (\d+) ([0-9.]+) ([0-9.]+) ([^\r\n]*)", 1800)
        if m.group(1) != "0":
            sys.exit(f"vm: the agent's write failed: {m.group(4)}")
        print(f"agent {float(m.group(3)) - float(m.group(2)):.2f} ({m.group(4)})", flush=True)
    if args.first_boot:
        root, kernel, initrd, cmdline = args.first_boot
        port = listener.server_address[1]
        user_data = f"#cloud-config\\nphone_home:\\n  url: http://10.0.2.2:{port}/phone-home/$INSTANCE_ID\\n  post: all\\n  tries: 30\\n"
        run(f"mkdir -p /mnt/r && mount /dev/vda{root} /mnt/r && mkdir -p /mnt/r/var/lib/cloud/seed/nocloud && "
            f"printf 'instance-id: bench-1\\nlocal-hostname: bench-deployed\\n' >/mnt/r/var/lib/cloud/seed/nocloud/meta-data && "
            f"printf '{user_data}' >/mnt/r/var/lib/cloud/seed/nocloud/user-data && umount /mnt/r", "SEED", 60)
        m = run(f"hint_root={root} hint_kernel={kernel} hint_initrd={initrd} hint_cmdline='{cmdline}'; A={up}; "
                f"kexec_installed bench; R=$?; B={up}; echo \"$DONE$WHY\" >/tmp/kx; [ $R = 0 ]", "ARM", 120)
        if m.group(1) != "0":
            sys.exit("vm: kexec was not armed (serial log: " + args.log + ")")
        jumped = time.time()
        s.sendall(b"kexec -e\n")
        deadline = jumped + 900
        while not phoned and time.time() < deadline:
            # Keep reading the console: an unread serial socket stalls the guest once its buffer fills
            # (a distribution's boot prints far more than the test image's).
            s.settimeout(0.2)
            try:
                if not s.recv(65536):
                    time.sleep(0.2)
            except socket.timeout:
                pass
        if not phoned:
            sys.exit(f"vm: no phone_home within 900 s of the kexec (serial log: {args.log})")
        at, path, body = phoned[0]
        print(f"firstboot {at - jumped:.2f} ({path}: {body[:120]})", flush=True)
finally:
    qemu.kill()
    qemu.wait()
