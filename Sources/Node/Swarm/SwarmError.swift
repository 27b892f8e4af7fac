/// Why swarm sharing or security could not be set up or a shard was refused.
public enum SwarmError: Error, Equatable, CustomStringConvertible {
  /// A CURVE key file is missing, unreadable or holds no Z85 key.
  case badKeyFile(path: String, reason: String)
  /// A `swarm.*` or `security.*` parameter is inconsistent (e.g. keys without a swarm endpoint).
  case badParameter(key: String, reason: String)
  /// This libzmq has no CURVE support (built without libsodium).
  case curveUnavailable
  /// A replay shard is malformed, torn or does not fit this node (the reason names the field).
  case badShard(reason: String, detail: String)

  public var description: String {
    switch self {
    case .badKeyFile(let path, let reason): return "CURVE key file \(path): \(reason)"
    case .badParameter(let key, let reason): return "parameter \(key): \(reason)"
    case .curveUnavailable: return "security: this libzmq has no CURVE support (zmq_has(\"curve\") is false)"
    case .badShard(let reason, let detail): return "replay shard refused (\(reason)): \(detail)"
    }
  }
}
