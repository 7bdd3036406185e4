# The agent's deploy tasks: write-image, kexec and wipe (sourced by wings-agent; POSIX sh on
# busybox, plus zstd, sfdisk and kexec from Debian). Each function prints nothing; it sets
# DONE (the result's message) and returns 0, or sets WHY (the reason) and returns 1. A task
# never reports success for a step it did not check: every pipe stage's exit status, the block
# count written, the download's digest and the written disk's digest are all compared.

# coreutils' tee and sha256sum when the RAM OS has them (busybox's tee moves 1 KiB per syscall:
# 7x slower than the write itself under TCG, bench/deploy); busybox's otherwise.
TEE=/usr/lib/wings/bin/tee SHA256SUM=/usr/lib/wings/bin/sha256sum
[ -x "$TEE" ] || TEE=tee
[ -x "$SHA256SUM" ] || SHA256SUM=sha256sum

# --- disks -------------------------------------------------------------------------------------
disk_bytes() { echo $(($(read1 "$SYS/block/$1/size") * 512)); }

# The disks a deploy may write (what the inventory reports), one name a line.
disks() {
  for b in "$SYS"/block/*; do
    [ -e "$b" ] || continue
    n=${b##*/}
    case "$n" in loop*|ram*|zram*|dm-*|sr*|fd*|md*|nbd*) continue ;; esac
    [ "$(read1 "$b/removable")" = 1 ] && [ "$(read1 "$b/size")" = 0 ] && continue
    echo "$n"
  done
}

# pick_disk MIN_BYTES: the target by the task's hints (TASK_DISK, TASK_DISK_SERIAL, TASK_DISK_WWN,
# TASK_DISK_SIZE as bytes or >=bytes), among the disks that hold MIN_BYTES; of those that match,
# the smallest (Ironic's root device hints choose the same way). Sets DISK or WHY.
pick_disk() {
  min=$1 DISK= best=
  seen=
  for n in $(disks); do
    size=$(disk_bytes "$n")
    serial=$(read1 "$SYS/block/$n/serial"); [ -n "$serial" ] || serial=$(read1 "$SYS/block/$n/device/serial")
    wwn=$(read1 "$SYS/block/$n/wwid"); [ -n "$wwn" ] || wwn=$(read1 "$SYS/block/$n/device/wwid")
    seen="$seen $n($((size >> 20)) MiB${serial:+ serial $serial})"
    [ -n "$hint_disk" ] && [ "${hint_disk#/dev/}" != "$n" ] && continue
    [ -n "$hint_serial" ] && [ "$hint_serial" != "$serial" ] && continue
    [ -n "$hint_wwn" ] && [ "$hint_wwn" != "$wwn" ] && continue
    case "$hint_size" in
      '') ;;
      '>='*) [ "$size" -ge "${hint_size#>=}" ] || continue ;;
      *) [ "$size" = "$hint_size" ] || continue ;;
    esac
    [ "$size" -ge "$min" ] || continue
    if [ -z "$best" ] || [ "$size" -lt "$best" ]; then DISK=$n best=$size; fi
  done
  [ -n "$DISK" ] && return 0
  WHY="no disk matches the hints${hint_disk:+ name=$hint_disk}${hint_serial:+ serial=$hint_serial}${hint_wwn:+ wwn=$hint_wwn}${hint_size:+ size=$hint_size} and holds $min bytes; disks:${seen:- none}"
  return 1
}

# in_use DISK: the disk or one of its partitions is mounted or a swap area (sets WHY).
in_use() {
  for dev in $(awk '{ print $1 }' "${PROC:-/proc}/mounts" "${PROC:-/proc}/swaps" 2>/dev/null); do
    case "${dev#/dev/}" in
      "$1" | "$1"[0-9]* | "$1"p[0-9]*) WHY="/dev/$1 is in use: ${dev} is mounted or swap"; return 0 ;;
    esac
  done
  return 1
}

part_dev() { case "$1" in *[0-9]) echo "/dev/${1}p$2" ;; *) echo "/dev/$1$2" ;; esac; }

# zero_ends DEV BYTES: zero the first and last MiB (MBR, both GPT headers, most filesystem and
# RAID superblocks), so nothing of the disk's old layout survives a shorter image.
zero_ends() {
  dd if=/dev/zero of="$1" bs=1M count=1 oflag=direct conv=notrunc 2>/dev/null || return 1
  [ "$2" -gt $((2 << 20)) ] || return 0
  dd if=/dev/zero of="$1" bs=1M count=1 seek=$(($2 / 1048576 - 1)) oflag=direct conv=notrunc 2>/dev/null
}

# --- progress ----------------------------------------------------------------------------------
sectors_written() { awk '{ print $7 }' "$SYS/block/$1/stat"; }
centis() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# post_progress ID BYTES TOTAL VERB T0: one progress fact (bytes, rate since T0 in centiseconds).
post_progress() {
  rate=$(($2 * 100 / ($(centis) - $5 + 1)))
  printf 'PERCENT=%d\nBYTES=%d\nTOTAL_BYTES=%d\nBYTES_PER_SECOND=%d\nMESSAGE=%s %d of %d MiB, %d MB/s\n' \
    $(($2 * 100 / $3)) "$2" "$3" "$rate" "$4" $(($2 >> 20)) $(($3 >> 20)) $((rate / 1000000)) >"$RUN/progress.$1"
  call POST "/tasks/$1/progress" text/plain "$RUN/progress.$1" >/dev/null 2>&1
}

# progress_loop ID DISK TOTAL VERB: posts the bytes written to DISK as the task's progress, every
# 5 % or 64 MiB (whichever comes first), at most once a second; killed by its caller.
progress_loop() {
  base=$(sectors_written "$2") t0=$(centis) last=0
  step=$(($3 / 20)); [ "$step" -gt $((64 << 20)) ] && step=$((64 << 20))
  while sleep 1; do
    bytes=$((($(sectors_written "$2") - base) * 512))
    [ "$bytes" -gt "$3" ] && bytes=$3
    [ $((bytes - last)) -ge "$step" ] || continue
    last=$bytes
    post_progress "$1" "$bytes" "$3" "$4" "$t0"
  done
}

# --- write-image -------------------------------------------------------------------------------
hex64() { case "$1" in *[!0-9a-f]*) return 1 ;; *) [ ${#1} = 64 ] ;; esac; }

write_image() { # TASK_ID
  id=$1
  case "$format" in
    raw) unpack=cat ;; raw.gz) unpack="gunzip -c" ;; raw.xz) unpack=xzcat ;; raw.zst) unpack="zstd -dcq" ;;
    *) WHY="format '$format' is none of raw, raw.gz, raw.xz, raw.zst"; return 1 ;;
  esac
  case "$url" in http://* | https://*) ;; *) WHY="url '$url' is not http(s)"; return 1 ;; esac
  hex64 "$sha256" || { WHY="sha256 '$sha256' is not 64 lower-case hex digits"; return 1; }
  hex64 "$raw_sha256" || { WHY="raw_sha256 '$raw_sha256' is not 64 lower-case hex digits"; return 1; }
  case "$raw_size" in '' | *[!0-9]* | 0) WHY="raw_size '$raw_size' is not a positive number of bytes"; return 1 ;; esac
  # Preflight, before a byte is written.
  pick_disk "$raw_size" || return 1
  in_use "$DISK" && return 1
  dev=/dev/$DISK size=$(disk_bytes "$DISK")
  [ -b "$dev" ] || { WHY="$dev is not a block device"; return 1; }
  log "write-image: $url ($format) to $dev ($((size >> 20)) MiB)"
  echo "$DISK" >"$RUN/target-disk"
  zero_ends "$dev" "$size" || { WHY="cannot write to $dev (wiping its first and last MiB)"; return 1; }
  write_stream "$id" && return 0
  # Whatever reached the disk must not boot: a machine that falls back to its disk would start a
  # half-written or unverified system.
  sync
  if zero_ends "$dev" "$size"; then WHY="$WHY (its first and last MiB zeroed again)"; else WHY="$WHY (and zeroing $dev again failed)"; fi
  return 1
}

# write_stream TASK_ID: the download, check and read-back of write_image, on $dev (chosen, wiped).
write_stream() {
  id=$1

  # download | tee (the download's digest) | unpack | dd with direct I/O. Each stage writes its exit
  # status; dd's record count says how many bytes reached the disk.
  rm -f "$RUN"/stage.* "$RUN/dl.fifo" "$RUN/dl.sha"
  mkfifo "$RUN/dl.fifo"
  $SHA256SUM <"$RUN/dl.fifo" >"$RUN/dl.sha" &
  hasher=$!
  progress_loop "$id" "$DISK" "$raw_size" written &
  progress=$!
  t0=$(centis)
  { wget -q -O - "$url" 2>"$RUN/stage.wget.err"; echo $? >"$RUN/stage.wget"; } \
    | { $TEE "$RUN/dl.fifo"; echo $? >"$RUN/stage.tee"; } \
    | { $unpack 2>"$RUN/stage.unpack.err"; echo $? >"$RUN/stage.unpack"; } \
    | { dd of="$dev" bs=1M iflag=fullblock oflag=direct conv=notrunc 2>"$RUN/stage.dd.err"; echo $? >"$RUN/stage.dd"; }
  wait "$hasher"
  kill "$progress" 2>/dev/null; wait "$progress" 2>/dev/null
  t1=$(centis)
  for s in wget tee unpack dd; do
    rc=$(cat "$RUN/stage.$s" 2>/dev/null)
    [ "$rc" = 0 ] && continue
    WHY="the $s stage failed (exit ${rc:-unknown}): $(cat "$RUN/stage.$s.err" 2>/dev/null | tr '\n' ' ' | head -c 300)"
    return 1
  done
  got=$(cut -d' ' -f1 "$RUN/dl.sha")
  [ "$got" = "$sha256" ] || { WHY="download digest mismatch: sha256 $got, expected $sha256"; return 1; }
  # "F+P records out": F full MiB blocks and P partial ones; anything else is a short stream.
  want="$((raw_size / 1048576))+$((raw_size % 1048576 > 0 ? 1 : 0)) records out"
  grep -q "^$want" "$RUN/stage.dd.err" || { WHY="short write: dd says '$(grep 'records out' "$RUN/stage.dd.err")', expected '$want' for $raw_size bytes"; return 1; }
  post_progress "$id" "$raw_size" "$raw_size" written "$t0"
  sync
  blockdev --flushbufs "$dev" 2>/dev/null
  echo 3 >/proc/sys/vm/drop_caches
  # Read back what the disk holds (hashing the written stream on its way would cost more: many
  # small pipe writes; the read-back also catches what the disk did not keep).
  # Whole MiB blocks with direct I/O (reading through the page cache a page at a time was 3x
  # slower under TCG); an image whose size is not whole MiB is read through the cache.
  if [ $((raw_size % 1048576)) = 0 ]; then
    back=$(dd if="$dev" bs=1M count=$((raw_size / 1048576)) iflag=direct 2>/dev/null | $SHA256SUM | cut -d' ' -f1)
  else
    back=$(head -c "$raw_size" "$dev" | $SHA256SUM | cut -d' ' -f1)
  fi
  t2=$(centis)
  [ "$back" = "$raw_sha256" ] || { WHY="the disk does not hold the image: sha256 of its first $raw_size bytes is $back, expected $raw_sha256"; return 1; }
  blockdev --rereadpt "$dev" 2>/dev/null
  # A GPT image on a larger disk: its backup header belongs at the disk's end (UEFI 2.10 5.3.2).
  note=
  if [ "$size" -gt "$raw_size" ] && [ "$(dd if="$dev" bs=1 skip=512 count=8 2>/dev/null)" = "EFI PART" ]; then
    if sfdisk --relocate gpt-bak-std "$dev" >"$RUN/sfdisk.out" 2>&1; then
      note=", GPT backup moved to the disk's end"
    else
      WHY="moving the GPT backup header to the end of $dev failed: $(tr '\n' ' ' <"$RUN/sfdisk.out" | head -c 200)"
      return 1
    fi
    blockdev --rereadpt "$dev" 2>/dev/null
  fi
  mib=$((raw_size >> 20)) secs=$(((t1 - t0 + 1)))
  DONE="wrote $mib MiB to $dev in $((secs / 100)).$(printf %02d $((secs % 100))) s ($((raw_size * 100 / secs / 1000000)) MB/s); verified download sha256 ${sha256%${sha256#????????????}} and disk sha256 ${raw_sha256%${raw_sha256#????????????}} (read back in $(((t2 - t1) / 100)).$(printf %02d $(((t2 - t1) % 100))) s)$note"
  return 0
}

# --- configure ---------------------------------------------------------------------------------
# root_mount DISK MODE: mounts the written system's root (the task's root hint, else the first
# partition that mounts and has /etc or /boot) on /run/wings/target, MODE ro or rw. Sets ROOTDEV.
root_mount() {
  mnt=/run/wings/target ROOTDEV= tried=
  mkdir -p "$mnt"
  parts=$hint_root
  [ -n "$parts" ] || parts=$(ls "$SYS/block/$1" | sed -n "s/^${1}p\{0,1\}\([0-9][0-9]*\)\$/\1/p")
  for p in $parts; do
    dev=$(part_dev "$1" "$p")
    tried="$tried $dev"
    mount -o "$2" "$dev" "$mnt" 2>/dev/null || continue
    if [ -n "$hint_root" ] || [ -d "$mnt/etc" ] || [ -d "$mnt/boot" ]; then ROOTDEV=$dev; return 0; fi
    umount "$mnt"
  done
  WHY="no partition of /dev/$1 mounts as a root filesystem (tried$tried)"
  return 1
}

target_disk() { # the task's disk hint, else the disk write-image wrote this boot
  DISK=${hint_disk#/dev/}
  [ -n "$DISK" ] || DISK=$(cat "$RUN/target-disk" 2>/dev/null)
  [ -n "$DISK" ] && [ -b "/dev/$DISK" ] && return 0
  WHY="no disk: no disk hint and no write-image this boot"
  return 1
}

# configure TASK_ID: the NoCloud seed (meta-data, user-data with the phone_home of this deploy,
# and network-config and vendor-data when the site has them) from the agent API, into the
# written root's /var/lib/cloud/seed/nocloud, where cloud-init's NoCloud looks without being told.
configure() {
  target_disk || return 1
  seed=$RUN/seed
  rm -rf "$seed"; mkdir -p "$seed"
  for f in meta-data user-data network-config vendor-data; do
    retry GET "/seed/$f" >"$seed/$f"
    rc=$?
    if [ $rc != 0 ]; then
      case $f in
        meta-data | user-data) WHY="the seed's $f was refused: $(head -c 300 "$RUN/body")"; return 1 ;;
        *) rm -f "$seed/$f" ;;   # optional: a site without one answers 404 or 422
      esac
    fi
  done
  grep -q '^phone_home:' "$seed/user-data" || { WHY="the seed's user-data has no phone_home"; return 1; }
  root_mount "$DISK" rw || return 1
  dir=$mnt/var/lib/cloud/seed/nocloud
  if ! { mkdir -p "$dir" && cp "$seed"/* "$dir/" && chmod 600 "$dir/user-data"; }; then
    umount "$mnt"; WHY="cannot write the seed into $ROOTDEV"; return 1
  fi
  # A seed from an earlier deploy of the same image must not say it phoned home already.
  rm -rf "$mnt/var/lib/cloud/instances" "$mnt/var/lib/cloud/instance"
  sync
  umount "$mnt" || { WHY="$ROOTDEV did not unmount after the seed was written"; return 1; }
  DONE="NoCloud seed ($(ls "$seed" | tr '\n' ' ' | sed 's/ $//')) written to $ROOTDEV:/var/lib/cloud/seed/nocloud"
  return 0
}

# --- kexec -------------------------------------------------------------------------------------
# boot_entry ROOT_MNT: the kernel, initrd and command line to start, from (in order) the task's
# boot hints, a Boot Loader Spec entry, grub.cfg's first linux line, the newest /boot/vmlinuz-*.
boot_entry() {
  m=$1 K= I= C= FROM=
  if [ -n "$hint_kernel" ]; then
    K=$hint_kernel I=$hint_initrd C=$hint_cmdline FROM="boot hints"
  else
    for e in $(ls "$m"/boot/loader/entries/*.conf 2>/dev/null | sort -r); do
      K=$(awk '$1 == "linux" { print $2; exit }' "$e")
      I=$(awk '$1 == "initrd" { print $2; exit }' "$e")
      C=$(awk '$1 == "options" { $1 = ""; sub(/^ /, ""); print; exit }' "$e")
      [ -n "$K" ] && { [ -e "$m$K" ] || K=/boot$K; } && FROM="BLS entry ${e##*/}" && break
    done
    if [ -z "$FROM" ] && [ -f "$m/boot/grub/grub.cfg" ]; then
      line=$(awk '$1 == "linux" || $1 == "linuxefi" { $1 = ""; sub(/^ /, ""); print; exit }' "$m/boot/grub/grub.cfg")
      K=${line%% *} C=${line#* }
      [ "$C" = "$line" ] && C=
      I=$(awk '$1 == "initrd" || $1 == "initrdefi" { print $2; exit }' "$m/boot/grub/grub.cfg")
      [ -n "$K" ] && { [ -e "$m$K" ] || K=/boot$K; [ -z "$I" ] || [ -e "$m$I" ] || I=/boot$I; } && FROM=grub.cfg
    fi
    if [ -z "$FROM" ]; then
      K=$(ls "$m"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1); K=${K#$m}
      v=${K#/boot/vmlinuz-}
      [ -e "$m/boot/initrd.img-$v" ] && I=/boot/initrd.img-$v
      [ -n "$K" ] && FROM="newest kernel in /boot"
    fi
  fi
  [ -n "$K" ] && [ -f "$m$K" ] || { WHY="no kernel to start on the written disk (${FROM:-no hints, BLS entry, grub.cfg or /boot/vmlinuz-*}${K:+: $K missing})"; return 1; }
  [ -z "$I" ] || [ -f "$m$I" ] || { WHY="the initrd $I ($FROM) is not on the written disk"; return 1; }
  return 0
}

kexec_installed() { # TASK_ID; on success it does not return: the machine becomes the installed system
  target_disk || return 1
  root_mount "$DISK" ro || return 1
  dev=$ROOTDEV
  boot_entry "$mnt" || { umount "$mnt"; return 1; }
  cmdline="$C"
  [ -f "$mnt/var/lib/cloud/seed/nocloud/meta-data" ] && cmdline="$cmdline ds=nocloud;s=file:///var/lib/cloud/seed/nocloud/"
  log "kexec: $K ${I:+with $I }from $dev ($FROM): $cmdline"
  if ! kexec -l "$mnt$K" ${I:+--initrd="$mnt$I"} --command-line="$cmdline" >"$RUN/kexec.out" 2>&1; then
    # kexec_load refused (a locked-down kernel allows only the signed-image syscall): kexec_file_load.
    kexec -s -l "$mnt$K" ${I:+--initrd="$mnt$I"} --command-line="$cmdline" >>"$RUN/kexec.out" 2>&1 \
      || { umount "$mnt"; WHY="kexec could not load $K: $(tr '\n' ' ' <"$RUN/kexec.out" | head -c 300)"; return 1; }
  fi
  umount "$mnt"
  DONE="kexec armed: $K from $dev ($FROM)"
  return 0
}

# --- wipe ----------------------------------------------------------------------------------------
# wipe TASK_ID: every partition's and the disk's first and last MiB (or the whole disk with
# mode=zero, or a discard of it with mode=discard) on the hinted disk, or on every disk.
wipe() {
  id=$1 done_list=
  case "${mode:-metadata}" in metadata | zero | discard) ;; *) WHY="mode '$mode' is none of metadata, zero, discard"; return 1 ;; esac
  targets=${hint_disk#/dev/}
  [ -n "$targets" ] || targets=$(disks)
  for d in $targets; do
    [ -b "/dev/$d" ] || { WHY="/dev/$d is not a block device"; return 1; }
    in_use "$d" && return 1
  done
  for d in $targets; do
    dev=/dev/$d size=$(disk_bytes "$d")
    for p in "$SYS/block/$d/$d"*; do
      [ -f "$p/start" ] || continue
      zero_ends "/dev/${p##*/}" $(($(read1 "$p/size") * 512)) || { WHY="cannot write to /dev/${p##*/}"; return 1; }
    done
    zero_ends "$dev" "$size" || { WHY="cannot write to $dev"; return 1; }
    case "${mode:-metadata}" in
      zero)
        progress_loop "$id" "$d" "$size" zeroed &
        pl=$!
        dd if=/dev/zero of="$dev" bs=1M count=$((size / 1048576)) oflag=direct conv=notrunc 2>"$RUN/wipe.err"
        rc=$?
        kill $pl 2>/dev/null
        [ $rc = 0 ] && grep -q "^$((size / 1048576))+0 records out" "$RUN/wipe.err" \
          || { WHY="zeroing $dev stopped early: $(tr '\n' ' ' <"$RUN/wipe.err")"; return 1; }
        ;;
      discard)
        blkdiscard "$dev" 2>"$RUN/wipe.err" || { WHY="discard of $dev failed: $(tr '\n' ' ' <"$RUN/wipe.err")"; return 1; }
        ;;
    esac
    blockdev --rereadpt "$dev" 2>/dev/null
    done_list="$done_list $d"
  done
  sync
  DONE="wiped (${mode:-metadata}):${done_list:- no disks}"
  return 0
}
