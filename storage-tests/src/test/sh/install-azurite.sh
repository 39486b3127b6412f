#!/bin/sh
# Installs Azurite (package.json + package-lock.json) for the Azure tests with `npm ci`, only when
# node_modules does not match the lock file yet. Without npm it only warns: the Azure tests then skip,
# or fail under CI=true.
cd "$(dirname "$0")/../../.." || exit 1
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	echo "[azurite] Node.js/npm not found: the Azure tests will be skipped (they fail under CI=true)"
	exit 0
fi
if [ -f node_modules/.installed-lock.json ] && cmp -s package-lock.json node_modules/.installed-lock.json \
		&& [ -f node_modules/.bin/azurite-blob ]; then
	echo "[azurite] node_modules is up to date with package-lock.json"
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json
