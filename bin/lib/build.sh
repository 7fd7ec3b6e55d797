# Sourced by bin/weir and bin/weir-sql (which set ROOT): builds the server, the JDBC driver and the SQL
# shell with Maven when they were never built, or a pom or main source changed since the last build.
# Maven stays quiet (-q): the user sees one line saying what is built and why, then one when it is done.
# Environment: WEIR_MVN_ARGS (extra Maven flags, e.g. -o).

WEIR_BUILD_STAMP="$ROOT/server/target/.weir-build-stamp"
WEIR_BUILD_MODULES="server,jdbc-driver,shell"

# weir_build_reason NAME FILE...: prints why NAME must be built and returns 0, or returns 1 when the last
# build is current. Each FILE must exist (an empty FILE counts as missing); each *classpath.txt FILE must
# name only existing files.
weir_build_reason() {
  local name="$1" file entry
  shift
  if [[ ! -f "$WEIR_BUILD_STAMP" ]]; then
    echo "first run: this takes a few minutes, longer if Maven has to download dependencies"
    return 0
  fi
  for file in "$@"; do
    if [[ -z "$file" || ! -f "$file" ]]; then
      echo "$name was not built yet"
      return 0
    fi
    if [[ "$file" == *classpath.txt ]]; then
      while IFS= read -r -d ':' entry; do
        [[ -e "$entry" ]] || { echo "a dependency is missing from the local Maven repository"; return 0; }
      done < <(printf '%s:' "$(cat "$file")")
    fi
  done
  if [[ -n "$(find "$ROOT" \( -path "$ROOT/.git" -o -name target -o -name node_modules \) -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$WEIR_BUILD_STAMP" -print -quit)" ]]; then
    echo "sources changed since the last build"
    return 0
  fi
  return 1
}

# weir_build REASON: runs Maven, or exits with a hint when the build fails.
weir_build() {
  local started=$SECONDS
  echo "${0##*/}: building Weir ($1) ..." >&2
  mkdir -p "$(dirname "$WEIR_BUILD_STAMP")"
  touch "$WEIR_BUILD_STAMP.next"
  # Maven 3.8 prints colour resets (ESC[0m) even in quiet batch mode: filtered out, so logs stay clean.
  # shellcheck disable=SC2086 # WEIR_MVN_ARGS is a list of flags
  if ! (cd "$ROOT" && mvn -B -q -DskipTests ${WEIR_MVN_ARGS:-} package -pl "$WEIR_BUILD_MODULES" -am) 2>&1 \
      | sed -e $'s/\x1b\\[0m//g' >&2; then
    echo "${0##*/}: the build failed; Maven's errors are above. For its whole output run:" >&2
    echo "  cd $ROOT && mvn -DskipTests package -pl $WEIR_BUILD_MODULES -am" >&2
    exit 1
  fi
  mv "$WEIR_BUILD_STAMP.next" "$WEIR_BUILD_STAMP"
  echo "${0##*/}: built in $((SECONDS - started)) s" >&2
}

# weir_build_if_needed NAME FILE...: builds when weir_build_reason says so.
weir_build_if_needed() {
  local reason
  if reason="$(weir_build_reason "$@")"; then
    weir_build "$reason"
  fi
}
