#!/usr/bin/env bash
# Installs the linters the benchmark compares against, if they are missing:
# Bandit, Pylint and Flake8 from Debian (they run under /usr/bin/python3), and Ruff's
# WebAssembly build, which is a pinned devDependency (already in node_modules).
# Never fails: a peer that cannot be installed is reported as "not installed" and the
# benchmark skips it.
set -u

cd "$(dirname "$0")/.."

have_module() {
  /usr/bin/python3 -c "import $1" >/dev/null 2>&1
}

missing=()
for pair in bandit:bandit pylint:pylint flake8:flake8; do
  pkg=${pair%%:*}
  mod=${pair##*:}
  if ! command -v "$pkg" >/dev/null 2>&1 || ! have_module "$mod"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    run_root=()
    if [ "$(id -u)" -ne 0 ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        run_root=(sudo -n)
      else
        echo "bench/setup: not root and no passwordless sudo; cannot install ${missing[*]}" >&2
      fi
    fi
    if [ "$(id -u)" -eq 0 ] || [ ${#run_root[@]} -gt 0 ]; then
      echo "bench/setup: installing ${missing[*]} (apt-get)" >&2
      export DEBIAN_FRONTEND=noninteractive
      if ! "${run_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        "${run_root[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 || true
        # One at a time, so one unavailable package does not block the others.
        for pkg in "${missing[@]}"; do
          "${run_root[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 || true
        done
      fi
    fi
  else
    echo "bench/setup: apt-get not available; cannot install ${missing[*]}" >&2
  fi
fi

for pair in bandit:bandit pylint:pylint flake8:flake8; do
  pkg=${pair%%:*}
  mod=${pair##*:}
  if command -v "$pkg" >/dev/null 2>&1 && have_module "$mod"; then
    version=$(/usr/bin/python3 -c "import importlib.metadata as m; print(m.version('$pkg'))" 2>/dev/null || echo '?')
    echo "bench/setup: $pkg $version"
  else
    echo "bench/setup: $pkg not installed"
  fi
done

if node -e "require('@astral-sh/ruff-wasm-nodejs')" >/dev/null 2>&1; then
  echo "bench/setup: ruff-wasm $(node -p "require('@astral-sh/ruff-wasm-nodejs/package.json').version")"
else
  echo "bench/setup: ruff-wasm not installed"
fi
exit 0
