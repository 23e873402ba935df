#!/usr/bin/env bash
# setup.sh: the two commands of a fresh machine.
#   ./setup.sh        installs what is missing (Debian packages; the grammar is
#                     fetched from npm at configure time, pinned by SHA-512),
#                     builds, and runs shapelint on a bundled example model.
#   ./setup.sh test   the same install and build, then every test: the normal
#                     build, then an AddressSanitizer + UBSan build.
set -euo pipefail
cd "$(dirname "$0")"

PKGS=(cmake ninja-build g++ pkg-config libtree-sitter-dev libabsl-dev nlohmann-json3-dev catch2
      python3 python3-torch python3-torchvision python3-keras-applications libopenblas0-pthread libtomlplusplus-dev
      git pre-commit python3-jsonschema)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

JOBS=$(nproc 2>/dev/null || echo 2)
build() {  # build DIR [cmake args...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$JOBS"
}

case "${1:-}" in
  "")
    build build
    echo
    echo "== shapelint extract on the bundled example (fixtures/seeds/s004_conv_bn_relu_seq.py) =="
    ./build/analyzer/cli/shapelint extract \
      --model-path fixtures/seeds/s004_conv_bn_relu_seq.py::load_model \
      --inputs-path fixtures/seeds/s004_conv_bn_relu_seq.py::get_inputs --dir build/example
    echo
    echo "== shapelint check on a seed model that fails in torch (fixtures/seeds/s001_conv_view_mismatch.py) =="
    ./build/analyzer/cli/shapelint check fixtures/seeds/s001_conv_view_mismatch.py || true
    echo
    echo "== Keras from source: the parameter counts of keras_applications 1.0.8 (bench/keras/run.py) =="
    /usr/bin/python3 bench/keras/run.py --shapelint ./build/analyzer/cli/shapelint || true
    ;;
  test)
    build build
    ctest --test-dir build --output-on-failure -j"$JOBS"
    echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
    build build-asan -DSHAPELINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-asan --output-on-failure -j"$JOBS"
    ;;
  *)
    echo "usage: ./setup.sh [test]" >&2
    exit 2
    ;;
esac
