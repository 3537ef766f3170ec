#!/usr/bin/env bash
# Prints one honest line for a make target whose part does not exist yet, and fails.
# Usage: scripts/not-built-yet.sh TARGET "WHY"
echo "make $1: not built yet - $2" >&2
exit 3
