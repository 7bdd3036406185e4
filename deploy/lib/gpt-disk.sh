# A bootable GPT disk image from a root directory, for the image builds (deploy/test-image, and
# the Debian image to come). Sourced (bash). No root-only steps and no loop devices: each filesystem
# is made in a file and placed with dd. GRUB boots it on BIOS (core.img in a BIOS boot partition)
# and on UEFI (EFI/BOOT/BOOTX64.EFI on an ESP); both find the root by its label and read its
# /boot/grub/grub.cfg, which the caller writes.
#
#   gpt_disk IMG SECTORS ROOT_DIR LABEL ROOT_UUID WORK_DIR [INODES]
#
# Layout: p1 BIOS boot (LBA 2048, 1 MiB: a GPT leaves no gap after the MBR for core.img), p2 ESP
# (16 MiB FAT), p3 ext4 root to the last usable sector. Needs grub-common, grub-pc-bin,
# grub-efi-amd64-bin, fdisk, e2fsprogs, dosfstools, mtools.
GPT_BIOS_START=2048 GPT_BIOS_SIZE=2048 GPT_ESP_START=4096 GPT_ESP_SIZE=32768 GPT_ROOT_START=36864

gpt_disk() {
  local img=$1 sectors=$2 root=$3 label=$4 uuid=$5 p=$6 inodes=${7:-} grub=/usr/lib/grub core_sectors root_sectors
  [[ -f $grub/i386-pc/boot.img && -d $grub/x86_64-efi ]] || { echo "gpt_disk: needs grub-pc-bin and grub-efi-amd64-bin" >&2; return 1; }
  [[ -f $root/boot/grub/grub.cfg ]] || { echo "gpt_disk: $root/boot/grub/grub.cfg is missing" >&2; return 1; }
  mkdir -p "$p"
  # GRUB, both ways, with the same embedded start; every module built in, as no GRUB module
  # directory is on the disk.
  printf 'search --no-floppy --label %s --set=root\nset prefix=($root)/boot/grub\nconfigfile ($root)/boot/grub/grub.cfg\n' "$label" >"$p/early.cfg"
  local modules="part_gpt part_msdos ext2 search search_label configfile normal linux echo serial terminal test gzio"
  grub-mkimage -O i386-pc -o "$p/core.img" -c "$p/early.cfg" -p /boot/grub biosdisk $modules || return 1
  grub-mkimage -O x86_64-efi -o "$p/BOOTX64.EFI" -c "$p/early.cfg" -p /boot/grub fat $modules || return 1
  core_sectors=$((($(stat -c %s "$p/core.img") + 511) / 512))
  ((core_sectors <= GPT_BIOS_SIZE)) || { echo "gpt_disk: core.img ($core_sectors sectors) does not fit the BIOS boot partition" >&2; return 1; }

  # ESP: FAT with the removable-media path every UEFI firmware looks at.
  rm -f "$p/esp.img"
  mkfs.vfat -C -n WINGS-ESP -i 5A17E5F1 "$p/esp.img" $((GPT_ESP_SIZE / 2)) >/dev/null || return 1
  touch -d "@${SOURCE_DATE_EPOCH:-1700000000}" "$p/BOOTX64.EFI"
  MTOOLS_SKIP_CHECK=1 mmd -i "$p/esp.img" ::/EFI ::/EFI/BOOT || return 1
  MTOOLS_SKIP_CHECK=1 mcopy -m -i "$p/esp.img" "$p/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI || return 1

  # The table, then the filesystems in place.
  rm -f "$img"; truncate -s $((sectors * 512)) "$img"
  sfdisk -q --no-reread --no-tell-kernel "$img" <<TABLE || return 1
label: gpt
label-id: ${uuid%????}0000
sector-size: 512
start=$GPT_BIOS_START, size=$GPT_BIOS_SIZE, type=21686148-6449-6E6F-744E-656564454649, name="bios", uuid=${uuid%????}0101
start=$GPT_ESP_START, size=$GPT_ESP_SIZE, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="esp", uuid=${uuid%????}0102
start=$GPT_ROOT_START, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root", uuid=${uuid%????}0103
TABLE
  root_sectors=$(sfdisk -q -l -o Start,Sectors "$img" | awk -v s=$GPT_ROOT_START '$1 == s { print $2 }')
  rm -f "$p/root.img"
  mkfs.ext4 -q -F -L "$label" -U "$uuid" -E root_owner=0:0,hash_seed="$uuid" ${inodes:+-N "$inodes"} -d "$root" "$p/root.img" \
    $((root_sectors / 2))k >/dev/null || return 1
  dd if="$p/root.img" of="$img" bs=512 seek=$GPT_ROOT_START conv=notrunc status=none
  dd if="$p/esp.img" of="$img" bs=512 seek=$GPT_ESP_START conv=notrunc status=none
  dd if="$p/core.img" of="$img" bs=512 seek=$GPT_BIOS_START conv=notrunc status=none
  rm -f "$p/root.img" "$p/esp.img"

  # GRUB's BIOS boot code, as grub-bios-setup writes it (grub-core/boot/i386/pc/boot.S and
  # diskboot.S; util/setup.c), with no grub-install and no device to probe:
  #  - the MBR gets boot.img's code (bytes 0-2, the jump, and 0x5a-0x1b7, after the BIOS parameter
  #    block) around the protective MBR sfdisk wrote (its disk signature and partition table stay);
  #    at 0x5c, the 64-bit LBA of core.img's first sector; at 0x66, two NOPs in place of the jump
  #    that trusts a floppy's drive number (what grub-bios-setup does for a hard disk);
  #  - core.img's first sector (diskboot.img) ends with a block list: at 0x1f4 the LBA of the rest
  #    (64-bit), its sector count (16-bit) and the segment to load it at (0x820).
  _le() { local v=$1 n=$2 i; for ((i = 0; i < n; i++)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done; }
  _put() { dd of="$img" bs=1 seek=$(($1)) conv=notrunc status=none; }
  dd if="$grub/i386-pc/boot.img" bs=1 count=3 status=none | _put 0
  dd if="$grub/i386-pc/boot.img" bs=1 skip=$((0x5a)) count=$((0x1b8 - 0x5a)) status=none | _put 0x5a
  _le $GPT_BIOS_START 8 | _put 0x5c
  printf '\x90\x90' | _put 0x66
  { _le $((GPT_BIOS_START + 1)) 8; _le $((core_sectors - 1)) 2; _le $((0x820)) 2; } | _put $((GPT_BIOS_START * 512 + 0x1f4))
}
