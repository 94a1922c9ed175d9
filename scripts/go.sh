# go.sh is sourced by the other scripts: it puts a Go >= 1.26 on PATH.
# Order: a go already on PATH, /usr/local/go, a toolchain fetched earlier
# into $KTPOCR_HOME/go, and last, on a machine with no recent Go: Debian's
# golang-go (1.19, too old to build ktpocr) used only to download the
# official release toolchain, which the Go module proxy serves as the module
# golang.org/toolchain.
KTPOCR_HOME=${KTPOCR_HOME:-$HOME/.local/share/ktpocr}
GO_WANT=1.26.8

go_recent() {
  command -v go >/dev/null 2>&1 || return 1
  local v; v=$(go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}; local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  [ "$major" -gt 1 ] || { [ "$major" = 1 ] && [ "$minor" -ge 26 ]; }
}

if ! go_recent; then
  for d in /usr/local/go/bin "$KTPOCR_HOME/go/bin"; do
    if [ -x "$d/go" ]; then PATH="$d:$PATH"; go_recent && break; fi
  done
fi
if ! go_recent; then
  echo "==> no Go >= 1.26 found: fetching go$GO_WANT through the Go module proxy" >&2
  if ! command -v /usr/bin/go >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null; fi
  fi
  goarch=amd64; [ "$(uname -m)" = aarch64 ] && goarch=arm64
  tmpmod=$(mktemp -d)
  dir=$(cd "$tmpmod" && GOFLAGS=-modcacherw GO111MODULE=on GOTOOLCHAIN=local /usr/bin/go mod download -json "golang.org/toolchain@v0.0.1-go$GO_WANT.linux-$goarch" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  rm -rf "$tmpmod"
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "setup: could not fetch the Go toolchain" >&2; exit 1; }
  rm -rf "$KTPOCR_HOME/go" && mkdir -p "$KTPOCR_HOME" && cp -r "$dir" "$KTPOCR_HOME/go"
  chmod -R u+w "$KTPOCR_HOME/go"
  chmod +x "$KTPOCR_HOME/go/bin/"* "$KTPOCR_HOME/go/pkg/tool/"*/*
  PATH="$KTPOCR_HOME/go/bin:$PATH"
  go_recent || { echo "setup: the fetched Go toolchain does not run" >&2; exit 1; }
fi
export PATH
