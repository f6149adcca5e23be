#!/usr/bin/env bash
# Builds the helm v3 CLI from Go modules (no downloads beyond the module proxy) into a
# cache directory keyed by version; nothing is rebuilt when the binary is already there.
#   usage: scripts/build-helm.sh [HELM_VERSION]
# Prints the binary path on its last line. Honours HELM_BIN: an executable there wins.
set -euo pipefail

HELM_VERSION="${1:-${HELM_VERSION:-v3.22.0}}"
CACHE_ROOT="${PGT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pg-trickle-webhook}"

if [[ -n "${HELM_BIN:-}" && -x "$HELM_BIN" ]]; then
  echo "$HELM_BIN"
  exit 0
fi

OUT="$CACHE_ROOT/helm/$HELM_VERSION"
if [[ -x "$OUT/helm" ]]; then
  echo "$OUT/helm"
  exit 0
fi

export CGO_ENABLED=0 GOTOOLCHAIN=local
mkdir -p "$OUT"
# Build into a temporary GOBIN so a half-written binary never sits at the cached path.
TMP_BIN="$(mktemp -d)"
trap 'rm -rf "$TMP_BIN"' EXIT
# Helm's Makefile stamps the Kubernetes version it assumes (helm template/lint without a
# cluster) from its client-go module; without it helm falls back to v1.20.
go mod download "helm.sh/helm/v3@${HELM_VERSION}" >&2
gomod="$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
client_go="$(awk '$1 == "k8s.io/client-go" {print $2; exit}' "$gomod")"   # e.g. v0.37.0
k8s_minor="$(echo "$client_go" | cut -d. -f2)"
[[ -n "$k8s_minor" ]] || { echo "cannot read k8s.io/client-go from $gomod" >&2; exit 1; }
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1 -X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${k8s_minor}"
done
echo ">> building helm ${HELM_VERSION} (assumes Kubernetes 1.${k8s_minor})" >&2
GOBIN="$TMP_BIN" go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
mv "$TMP_BIN/helm" "$OUT/helm"
echo "$OUT/helm"
