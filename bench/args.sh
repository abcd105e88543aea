# Sourced by the bench scripts: `bench_args COUNT "$@"` prints the calling script's header
# comment for -h/--help and exits, and refuses any of the first COUNT arguments that is not a
# positive whole number.
bench_args() {
  local count=$1; shift
  case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
  local arg
  for arg in "${@:1:$count}"; do
    [[ "$arg" =~ ^[1-9][0-9]*$ ]] || { echo "expected a positive whole number, not '$arg' (see --help)" >&2; exit 64; }
  done
}
