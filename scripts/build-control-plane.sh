#!/usr/bin/env bash
# Builds kube-apiserver and etcd from Go modules (no Docker, no downloads beyond the
# module proxy) into a cache directory keyed by version, the way envtest's assets look.
#   usage: scripts/build-control-plane.sh [K8S_VERSION] [ETCD_VERSION]
#   defaults v1.36.3 (newest on the module proxy) and v3.6.16; v1.34.4 is the one the
#   ImageVolume-off tests use (1.36 locks the ImageVolume gate on).
# Prints the asset directory on its last line. Honours KUBEBUILDER_ASSETS: when that
# directory already holds both binaries nothing is built.
set -euo pipefail

K8S_VERSION="${1:-${K8S_VERSION:-v1.36.3}}"
ETCD_VERSION="${2:-${ETCD_VERSION:-v3.6.16}}"
CACHE_ROOT="${PGT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pg-trickle-webhook}"

if [[ -n "${KUBEBUILDER_ASSETS:-}" && -x "$KUBEBUILDER_ASSETS/kube-apiserver" && -x "$KUBEBUILDER_ASSETS/etcd" ]]; then
  echo "$KUBEBUILDER_ASSETS"
  exit 0
fi

[[ "$K8S_VERSION" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || { echo "K8S_VERSION must look like v1.36.3, got '$K8S_VERSION'" >&2; exit 2; }
[[ "$ETCD_VERSION" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || { echo "ETCD_VERSION must look like v3.6.16, got '$ETCD_VERSION'" >&2; exit 2; }

OUT="$CACHE_ROOT/control-plane/k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}"
mkdir -p "$OUT"
# One build per version at a time: a second caller waits, then finds the binaries.
if command -v flock >/dev/null; then
  exec 9>"$OUT.lock"
  flock 9
fi
if [[ -x "$OUT/kube-apiserver" && -x "$OUT/etcd" ]]; then
  echo "$OUT"
  exit 0
fi

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
patch="${K8S_VERSION##*.}"
staging_version="v0.${minor}.${patch}"

echo ">> resolving k8s.io/kubernetes@${K8S_VERSION}" >&2
mkdir -p "$WORK/kube"
cd "$WORK/kube"
go mod init pgtrickle.local/control-plane >/dev/null 2>&1
upstream_mod="$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
# Every staging module upstream replaces with ./staging/src/... gets its published v0.X.Y.
staging=$(grep -oE 'k8s\.io/[A-Za-z0-9._/-]+ => \./staging/src/k8s\.io/[A-Za-z0-9._/-]+' "$upstream_mod" | awk '{print $1}' | sort -u)
[[ -n "$staging" ]] || { echo "no staging modules found in $upstream_mod" >&2; exit 1; }
{
  echo "module pgtrickle.local/control-plane"
  echo
  echo "go $(go env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')"
  echo
  echo "require k8s.io/kubernetes ${K8S_VERSION}"
  echo
  echo "replace ("
  for m in $staging; do echo "	$m => $m ${staging_version}"; done
  echo ")"
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
go mod tidy >&2
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
pkg=k8s.io/component-base/version
ldflags="-s -w -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date} -X ${pkg}.gitCommit=0000000000000000000000000000000000000000"
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=${K8S_VERSION} -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=${minor}"
echo ">> building kube-apiserver ${K8S_VERSION} (staging ${staging_version})" >&2
go build -trimpath -ldflags "$ldflags" -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"

echo ">> building etcd ${ETCD_VERSION}" >&2
mkdir -p "$WORK/etcd"
cd "$WORK/etcd"
go mod init pgtrickle.local/etcd >/dev/null 2>&1
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" >&2
go mod tidy >&2
go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
mv "$OUT/etcd.tmp" "$OUT/etcd"
echo "$OUT"
