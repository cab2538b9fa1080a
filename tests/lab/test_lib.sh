# What the lab's test scripts share; source it, then call lab_test_up.
#   source "$here/test_lib.sh"; lab_test_up PREFIX USER
# gives: $work (a temporary folder, removed on exit), $lab_dir, the lab up
# there with its lab.env sourced, `lab VERB ARGS...` bound to that lab, the
# lab torn down on exit even when the test fails, and check/failures.
# Exits 77 (skipped) when not root or without network namespaces.

lab_test_up() {
  local prefix=$1 user=$2
  if [ "$(id -u)" -ne 0 ]; then echo "skipped: needs root (network namespaces, a lab user)"; exit 77; fi
  if ! ip netns list >/dev/null 2>&1; then echo "skipped: ip netns unavailable"; exit 77; fi
  # A prefix and user of its own, so it never meets another test's lab.
  export IRK_LAB_PREFIX=$prefix IRK_LAB_USER=$user
  work=$(mktemp -d)
  lab_dir="$work/lab"
  trap lab_test_cleanup EXIT
  trap 'exit 143' TERM INT
  "$here/lab" up --dir "$lab_dir" >/dev/null
  # shellcheck disable=SC1091
  source "$lab_dir/lab.env"
}

lab_test_cleanup() {
  "$here/lab" down --dir "$lab_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}

lab() { "$here/lab" "$1" --dir "$lab_dir" "${@:2}"; }

failures=0
# check DESCRIPTION FILE PATTERN...: some line of FILE contains every pattern.
check() {
  local what=$1 line
  line=$(cat "$2")
  shift 2
  for pattern in "$@"; do line=$(grep -F -- "$pattern" <<<"$line" || true); done
  if [ -n "$line" ]; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
