#!/usr/bin/env bash
# Captures the read requests that Debian's TFTP clients send, as golden test data
# (src/test/resources/golden/rrq-*.hex). Loopback only: CaptureRequest.java listens on 127.0.0.1,
# records the first datagram and answers nothing, and each client is stopped after 3 s.
#
#   tftp-service/src/test/captures/capture-requests.sh
#
# The clients and their exact command lines:
#   curl:     curl --tftp-blksize 1468 tftp://127.0.0.1:PORT/undionly.kpxe
#   tftp-hpa: printf 'binary\nget undionly.kpxe /dev/null\n' | tftp 127.0.0.1 PORT
#   atftp:    atftp --option 'blksize 1468' --option 'windowsize 16' --option 'tsize 0' -g -r ipxe.efi -l /dev/null 127.0.0.1 PORT
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/../resources/golden}
PORT=${PORT:-16969}
mkdir -p "$OUT"

capture() { # NAME COMMAND...
  local name=$1; shift
  java "$HERE/CaptureRequest.java" "$PORT" "$OUT/rrq-$name.hex" &
  local listener=$!
  sleep 2   # the JVM compiles the single-file program first
  timeout 3 "$@" >/dev/null 2>&1 || true
  wait "$listener"
  echo "rrq-$name.hex: $(cat "$OUT/rrq-$name.hex")"
}

capture curl curl -s --tftp-blksize 1468 -o /dev/null "tftp://127.0.0.1:$PORT/undionly.kpxe"
capture tftp-hpa sh -c "printf 'binary\nget undionly.kpxe /dev/null\n' | tftp 127.0.0.1 $PORT"
capture atftp atftp --option 'blksize 1468' --option 'windowsize 16' --option 'tsize 0' -g -r ipxe.efi -l /dev/null 127.0.0.1 "$PORT"
