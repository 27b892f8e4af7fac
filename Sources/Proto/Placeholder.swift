// Generated protobuf code lives here (see proto/generate.sh).
