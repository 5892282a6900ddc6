#!/usr/bin/env bash
# `changeset status` against the base branch: fails when a published package changed since the branch
# left main and no changeset was added (CONTRIBUTING.md). Works on a fresh clone: the base is
# origin/main when the clone has it (a clone of a branch), else the local main (a clone of main, where
# nothing changed since itself); a shallow clone is deepened first, since the check needs the merge base.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  git fetch --quiet --unshallow origin
fi
if git rev-parse --verify --quiet origin/main >/dev/null; then
  base=origin/main
elif git rev-parse --verify --quiet main >/dev/null; then
  base=main
else
  echo "changeset-status: no main or origin/main branch to compare with" >&2
  exit 1
fi
echo "changesets since $base ($(git rev-parse --short "$base"))"
pnpm exec changeset status --since "$base"
