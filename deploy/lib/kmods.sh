# Kernel modules in load order, for the initramfs builds (deploy/ram-os/build, deploy/test-image/build).
# Sourced (bash). Dependencies are read from each module's own .modinfo (depends=), not from
# modules.dep, so an unpacked kernel package is enough: nothing has to be installed or depmod-ed.
#
#   kmod_order MODDIR NAME...   prints "name path" lines, each module after its dependencies;
#                               a module the kernel builds in (no .ko) is named on stderr and skipped.
kmod_order() {
  local moddir=$1 f n
  shift
  declare -A _file=() _done=()
  # Parameter expansion, not basename: a forked process per module (some 6,000) cost 30 s.
  while IFS= read -r f; do n=${f##*/}; n=${n%.ko}; _file[${n//-/_}]=$f; done < <(find "$moddir" -name '*.ko')
  _kmod_add() {
    local name=${1//-/_} dep
    [[ -n ${_done[$name]:-} ]] && return 0
    _done[$name]=1
    [[ -n ${_file[$name]:-} ]] || { echo "kmods: module $name is not in $moddir (built in?)" >&2; return 0; }
    for dep in $(grep -a -o 'depends=[a-z0-9_,-]*' "${_file[$name]}" | head -n 1 | cut -d= -f2 | tr ',' ' '); do _kmod_add "$dep"; done
    echo "$name ${_file[$name]}"
  }
  for n in "$@"; do _kmod_add "$n"; done
}
