#!/usr/bin/env bash
# `npm run tools`: builds the pinned Pulumi CLI and a Node.js language host from the Go module
# proxy into .tools/bin/ (git-ignored), with the pulumi-resource-pulumi-nodejs shim from
# @pulumi/pulumi beside them. Idempotent: a stamp file records what was built, and nothing is
# rebuilt while it matches. Go's module and build caches, and the scratch modules, live outside
# the repository (Go's defaults, and $XDG_CACHE_HOME or ~/.cache).
#
# Why scratch modules instead of `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX`:
# pulumi/pulumi's pkg/go.mod has `replace` directives, which `go install pkg@version` refuses. A
# main module of our own that requires pkg/v3 and sdk/v3 at the same release builds it (replace
# directives of dependencies are ignored); pulumi/pulumi-docker-build's go.mod does the same.
# Build flags follow pulumi/pulumi's .goreleaser.yml: CGO off, -trimpath, osusergo,grpcnotrace,
# and the version ldflag (without it `pulumi version` is empty).
#
# The language host: since v3.69.0 pulumi-language-nodejs is its own untagged Go module
# (sdk/nodejs/cmd/pulumi-language-nodejs/go.mod), and the Go module proxy reachable here refuses
# every version of it (403 "This module version is not available"). Up to v3.68.0 it was a package
# of sdk/v3, which the proxy serves, so that is the language host built here. It is Pulumi's own
# code, and it speaks the language-host protocol the v3.274 engine still accepts (the engine falls
# back when Handshake or GetRequiredPackages are unimplemented). What it lacks: it takes the
# nodejs runtime options (typescript, tsconfig, nodeargs) as command-line flags, which newer
# engines no longer pass, so Pulumi.yaml `runtime.options` other than packagemanager have no effect
# under it. This project's programs therefore rely on none of them.
set -euo pipefail

PULUMI_VERSION=3.274.1
LANGUAGE_HOST_SDK_VERSION=3.68.0

repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/.tools/bin"
stamp="$bin/.versions"
want="pulumi=v$PULUMI_VERSION language-nodejs=sdk/v$LANGUAGE_HOST_SDK_VERSION"

shim_src="$repo/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [ ! -f "$shim_src" ]; then
  echo "build-tools: $shim_src is missing; run npm install first" >&2
  exit 1
fi

# go-cfclient-promote (test/go-cfclient): a second client library, github.com/cloudfoundry/go-cfclient/v3,
# that the CLI suite runs against the simulator. Our own small module, so `go build` with its
# go.sum; Go's build cache makes a rebuild take about a second.
mkdir -p "$bin"
if command -v go >/dev/null 2>&1; then
  echo "build-tools: building go-cfclient-promote (test/go-cfclient)"
  (cd "$repo/test/go-cfclient" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath \
    go build -ldflags "-s -w" -o "$bin/go-cfclient-promote" .)
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ]; then
  cp "$shim_src" "$bin/pulumi-resource-pulumi-nodejs"
  echo "build-tools: $want already in .tools/bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-tools: Go is not installed (no 'go' on PATH). The Pulumi CLI is built from the Go" >&2
  echo "module proxy: install Go >= 1.26 (https://go.dev/doc/install), then run npm run tools again." >&2
  exit 1
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-trimpath
cache="${XDG_CACHE_HOME:-$HOME/.cache}/cf-deployment-promotion"
mkdir -p "$bin"

# Builds one package of `module@version` in its own scratch module under $cache.
#   build_in_scratch <dir> <output> <package> <version-ldflag-value> <module@version>...
build_in_scratch() {
  local dir="$1" output="$2" package="$3" version="$4"
  shift 4
  mkdir -p "$dir"
  (
    cd "$dir"
    [ -f go.mod ] || go mod init example.invalid/cf-deployment-promotion-tools >/dev/null 2>&1
    go get -tool "$package@${1#*@}"
    go get "$@"
    go mod tidy
    for requirement in "$@"; do
      local module="${requirement%@*}" pinned="${requirement#*@}" got
      got="$(go list -m -f '{{.Version}}' "$module")"
      if [ "$got" != "$pinned" ]; then
        echo "build-tools: $module resolved to $got, not $pinned" >&2
        exit 1
      fi
    done
    go build -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
      -o "$output" "$package"
  )
}

echo "build-tools: building pulumi v$PULUMI_VERSION (a cold build takes 10-20 minutes)"
build_in_scratch "$cache/pulumi-$PULUMI_VERSION" "$bin/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "v$PULUMI_VERSION" \
  "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"

echo "build-tools: building pulumi-language-nodejs from sdk/v$LANGUAGE_HOST_SDK_VERSION"
build_in_scratch "$cache/language-nodejs-$LANGUAGE_HOST_SDK_VERSION" "$bin/pulumi-language-nodejs" \
  github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "v$LANGUAGE_HOST_SDK_VERSION" \
  "github.com/pulumi/pulumi/sdk/v3@v$LANGUAGE_HOST_SDK_VERSION"

cp "$shim_src" "$bin/pulumi-resource-pulumi-nodejs"
"$bin/pulumi" version
echo "$want" >"$stamp"
echo "build-tools: done: $bin"
