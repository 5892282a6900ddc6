#!/usr/bin/env bash
# Prints the absolute path of a Node.js binary of the given version (22, 24, 20.19.0, …), installing
# npm's `node` package under .tmp/node/<version> first when it is not there yet. Needs only the npm
# registry. Usage: node22="$(.ci/node.sh 22)"
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:?usage: .ci/node.sh <version>}"
dir=".tmp/node/$version"
bin="$dir/node_modules/.bin/node"
if [ ! -x "$bin" ]; then
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$version" >/dev/null
fi
"$bin" --version >/dev/null
echo "$PWD/$bin"
