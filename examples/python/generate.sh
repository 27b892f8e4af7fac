#!/usr/bin/env sh
# Generates the Python protobuf modules (r4ncl/v1/*_pb2.py) from proto/ into examples/python/gen.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/gen}"
mkdir -p "$out"
protoc --proto_path="$here/../../proto" --python_out="$out" "$here"/../../proto/r4ncl/v1/*.proto
echo "$out"
