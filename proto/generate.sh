#!/usr/bin/env bash
# Regenerates Sources/Proto/*.pb.swift from proto/r4ncl/v1/*.proto.
#
# protoc comes from Debian's protobuf-compiler; protoc-gen-swift is built once (release,
# ~45 s) from swift-protobuf 1.39.0, the version Package.swift resolves, so generated code and
# runtime match. The generated code is committed: the package never runs protoc at build time.
#
# Usage: proto/generate.sh            (PROTOC_GEN_SWIFT=/path/to/plugin skips the build)
#        SWIFT_PROTOBUF_GIT=<url>     (default: the local mirror, else GitHub)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.39.0
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 1; }

plugin="${PROTOC_GEN_SWIFT:-}"
if [[ -z "$plugin" ]]; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/r4ncl/protoc-gen-swift-$VERSION"
  if [[ ! -x "$cache/protoc-gen-swift" ]]; then
    src="${SWIFT_PROTOBUF_GIT:-}"
    if [[ -z "$src" ]]; then
      if [[ -d /opt/swift-packages/apple/swift-protobuf.git ]]; then
        src=/opt/swift-packages/apple/swift-protobuf.git
      else
        src=https://github.com/apple/swift-protobuf.git
      fi
    fi
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    echo "building protoc-gen-swift $VERSION from $src" >&2
    git clone -q --depth 1 --branch "$VERSION" "$src" "$tmp/swift-protobuf" 2>/dev/null
    (cd "$tmp/swift-protobuf" && swift build -c release --product protoc-gen-swift >&2)
    mkdir -p "$cache"
    cp "$(cd "$tmp/swift-protobuf" && swift build -c release --show-bin-path)/protoc-gen-swift" "$cache/"
  fi
  plugin="$cache/protoc-gen-swift"
fi

rm -f Sources/Proto/*.pb.swift Sources/Proto/Placeholder.swift
protoc --proto_path=proto \
  --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
  --swift_out=Sources/Proto \
  proto/r4ncl/v1/*.proto
echo "generated: $(ls Sources/Proto/*.pb.swift | tr '\n' ' ')" >&2
