#!/usr/bin/env bash
# Runs a build command with its output condensed to progress on stderr, so a
# first build is not minutes of silence and a failed one still shows why:
#
#   scripts/progress.sh NAME LOG COMMAND [ARGUMENT...]
#
# Ninja's "[n/N] what" status lines become one line updated in place on a
# terminal, or else (a log, CI) a line at every tenth of the steps; each line
# starts with "NAME: ". Everything COMMAND prints goes to LOG. When COMMAND
# fails, what it printed besides the status lines is shown, from Ninja's
# first "FAILED:" on (the compiler's errors), and its exit status returned.
# A command with nothing to build prints nothing here.
set -uo pipefail
name="$1" log="$2"
shift 2

# Our own status format, whatever the caller's NINJA_STATUS says.
export NINJA_STATUS='[%f/%t] '
status_line='^\[([0-9]+)/([0-9]+)\] (.*)$'
terminal=0
[ -t 2 ] && terminal=1
columns=80
if [ "$terminal" = 1 ]; then
  size="$(stty size <&2 2>/dev/null)" || size=""
  [ "${size#* }" -gt 20 ] 2>/dev/null && columns="${size#* }"
fi

elapsed() {
  local seconds=$((SECONDS - start))
  printf '%dm%02ds' $((seconds / 60)) $((seconds % 60))
}

# Reads the command's output; prints progress.
render() {
  local line done total what tenth=0 header=0 text
  while IFS= read -r line; do
    [[ "$line" =~ $status_line ]] || continue
    done="${BASH_REMATCH[1]}" total="${BASH_REMATCH[2]}" what="${BASH_REMATCH[3]}"
    # [0/N]: Ninja checking CMake's globs or re-running CMake, before it
    # knows the real count of steps.
    if [ "$done" -gt 0 ] && [ "$header" = 0 ]; then
      header=1
      [ "$terminal" = 1 ] && printf '\r\033[K' >&2
      echo "$name: building, $total steps" >&2
    fi
    if [ "$terminal" = 1 ]; then
      if [ "$done" = 0 ]; then
        text="$name: $what"
      else
        # The source or target, not "Building CXX object ...".
        what="${what##* }" what="${what/CMakeFiles\/*.dir\//}"
        text="$name: [$done/$total] $((100 * done / total))% $(elapsed) ${what%.o}"
      fi
      printf '\r\033[K%s' "${text:0:columns-1}" >&2
    elif [ "$done" -gt 0 ] && [ $((10 * done / total)) -gt "$tenth" ] &&
         [ "$done" -lt "$total" ]; then
      tenth=$((10 * done / total))
      echo "$name: [$done/$total] $((100 * done / total))% $(elapsed)" >&2
    fi
  done
}

start=$SECONDS
# Interrupted, the cursor leaves the progress line.
trap '[ "$terminal" = 1 ] && printf "\n" >&2; exit 130' INT
"$@" 2>&1 | tee "$log" | render
result="${PIPESTATUS[0]}"
[ "$terminal" = 1 ] && printf '\r\033[K' >&2

last="$(grep -E '^\[[0-9]+/[0-9]+\] ' "$log" | tail -n 1)"
if [ "$result" = 0 ]; then
  if [[ "$last" =~ $status_line ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
    echo "$name: built, ${BASH_REMATCH[1]} steps in $(elapsed)" >&2
  fi
  exit 0
fi

# The failure: Ninja's failed steps with their output, or, when it failed
# before building (CMake, a missing tool), all it printed.
echo "$name: the build failed ($(elapsed)); its errors follow, the whole output is in $log" >&2
if grep -q '^FAILED: ' "$log"; then
  sed -n '/^FAILED: /,$p' "$log"
else
  cat "$log"
fi | grep -Ev '^\[[0-9]+/[0-9]+\] ' |
  if [ "$terminal" = 1 ]; then cat; else sed 's/\x1b\[[0-9;]*[mK]//g'; fi >&2
exit "$result"
