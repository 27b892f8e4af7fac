/// A swarm peer: its namespace (topic `<name>/replay`, key file `<name>.key` in the allowed
/// keys directory) and an endpoint, written `name@tcp://host:port`.
public struct SwarmPeer: Sendable, Equatable, CustomStringConvertible {
  /// The peer's namespace.
  public var name: String
  /// The endpoint this node connects to.
  public var endpoint: String

  public init(name: String, endpoint: String) {
    self.name = name
    self.endpoint = endpoint
  }

  /// Parses `name@endpoint`.
  public init(parsing text: String, key: String) throws {
    guard let at = text.firstIndex(of: "@"), text[..<at].count > 0, text[text.index(after: at)...].contains("://") else {
      throw SwarmError.badParameter(key: key, reason: "'\(text)' is not name@endpoint (e.g. drone1@tcp://10.0.0.1:6000)")
    }
    self.init(name: String(text[..<at]), endpoint: String(text[text.index(after: at)...]))
  }

  public var description: String { "\(name)@\(endpoint)" }
}

/// The `swarm.*` and `security.*` parameters: where shards are published and read, who to ask
/// for a snapshot, and the CURVE keys that guard those links.
public struct SwarmConfiguration: Sendable, Equatable {
  /// PUB socket for `<ns>/replay` shards and a `<ns>/status` heartbeat (binds by default);
  /// empty: shards go out on `endpoints.output` and no link is secured.
  public var endpoints: [EndpointSpec] = []
  /// REP socket answering peers' snapshot and status requests (empty: none).
  public var controlEndpoints: [EndpointSpec] = []
  /// Peers whose swarm PUB sockets this node subscribes to (`<name>/replay`).
  public var peers: [SwarmPeer] = []
  /// A peer's swarm control endpoint asked for a snapshot at start-up (nil: none).
  public var snapshotFrom: SwarmPeer?
  /// Seconds the start-up snapshot request is retried before the node gives up on it.
  public var snapshotTimeout = 20.0
  /// Publish a shard for every class this node learns.
  public var publish = true
  /// Learn unknown classes from complete peer shards.
  public var learnFromPeers = true
  /// Largest shard chunk payload, bytes (chunk 0 also carries per-sample lengths and labels).
  public var chunkBytes = 256 * 1024
  /// Partial shards older than this are dropped (counted as `shard_incomplete`).
  public var shardTimeout = 30.0
  /// Largest reassembled shard, bytes (bounds the memory one shard can make us hold).
  public var maxShardBytes = 64 << 20
  /// Most partial shards waiting for chunks at once, from all peers (more are refused as
  /// `shard_pending_limit` until some complete or expire).
  public var maxPendingShards = 64
  /// Most bytes all partial shards may hold together (payload and per-sample metadata); a chunk
  /// beyond it is refused as `shard_pending_limit` and its shard dropped. Defaults to
  /// `maxShardBytes` plus a quarter, so one largest shard with its metadata fits.
  public var maxPendingBytes = 80 << 20
  /// Largest snapshot reply the start-up request accepts, bytes (ZeroMQ closes the connection
  /// on a bigger one, counted as `snapshot_dropped`). Defaults to twice `maxShardBytes`.
  public var maxSnapshotBytes = 128 << 20
  /// File with this node's CURVE secret key (empty: no security).
  public var secretKeyFile = ""
  /// Directory of allowed peers' public keys (`*.key`).
  public var allowedKeysDirectory = ""

  public init() {}

  /// True when any swarm socket is configured.
  public var isActive: Bool { !endpoints.isEmpty || !controlEndpoints.isEmpty || !peers.isEmpty || snapshotFrom != nil }

  /// True when CURVE keys are configured.
  public var isSecure: Bool { !secretKeyFile.isEmpty }

  /// Every key with its meaning (merged into `NodeConfiguration.keys`).
  public static let keys: [String: String] = [
    "swarm.endpoint": "PUB for <ns>/replay shards and heartbeat (@bind / >connect; \"\" = endpoints.output, no security)",
    "swarm.control": "REP answering peers' snapshot/status requests",
    "swarm.peers": "peers' swarm PUB endpoints as name@endpoint (subscribes <name>/replay)",
    "swarm.snapshot_from": "name@endpoint of a peer's swarm.control asked for a snapshot at start-up",
    "swarm.snapshot_timeout_s": "seconds the start-up snapshot is retried",
    "swarm.publish": "publish a replay shard for every learned class (true/false)",
    "swarm.learn_from_peers": "learn unknown classes from complete peer shards (true/false)",
    "swarm.chunk_bytes": "largest shard chunk payload",
    "swarm.shard_timeout_s": "partial shards older than this are dropped",
    "swarm.max_shard_bytes": "largest reassembled shard",
    "swarm.max_pending_shards": "most partial shards waiting for chunks at once (more: shard_pending_limit)",
    "swarm.max_pending_bytes": "most bytes all partial shards hold together (default 1.25 x swarm.max_shard_bytes; more: shard_pending_limit)",
    "swarm.max_snapshot_bytes": "largest snapshot reply accepted (default 2 x swarm.max_shard_bytes; bigger: snapshot_dropped)",
    "security.secret_key": "CURVE secret key file (r4ncl keygen); enables CURVE on the swarm sockets",
    "security.allowed_keys": "directory of allowed peers' public keys (*.key)",
  ]

  /// Reads the `swarm.*` / `security.*` keys of `p`; `maxMessageBytes` bounds the chunk size.
  public init(parameters p: [String: ParameterValue], maxMessageBytes: Int) throws {
    func strings(_ key: String) throws -> [String]? {
      switch p[key] {
      case nil: return nil
      case .string(let v)?: return v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      case .strings(let v)?: return v
      case let other?: throw ParameterError.wrongType(key: key, expected: "a string or a list of strings", found: "\(other)")
      }
    }
    func number(_ key: String) throws -> Double? {
      switch p[key] {
      case nil: return nil
      case .int(let v)?: return Double(v)
      case .double(let v)?: return v
      case let other?: throw ParameterError.wrongType(key: key, expected: "a number", found: "\(other)")
      }
    }
    /// A whole number in `range` (YAML may give it as 1e6): anything else is a named error, not a trap.
    func integer(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
      guard let v = try number(key) else { return nil }
      guard v == v.rounded(), v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
        throw ParameterError.invalidValue(key: key, reason: "\(v) is not a whole number in \(range)")
      }
      return Int(v)
    }
    func flag(_ key: String) throws -> Bool? {
      switch p[key] {
      case nil: return nil
      case .bool(let v)?: return v
      case .string(let v)? where ["true", "false"].contains(v.lowercased()): return v.lowercased() == "true"
      case let other?: throw ParameterError.wrongType(key: key, expected: "true or false", found: "\(other)")
      }
    }
    func string(_ key: String) throws -> String? {
      switch p[key] {
      case nil: return nil
      case .string(let v)?: return v
      case let other?: throw ParameterError.wrongType(key: key, expected: "a string", found: "\(other)")
      }
    }
    endpoints = try strings("swarm.endpoint")?.map { EndpointSpec(parsing: $0, defaultMode: .bind) } ?? []
    controlEndpoints = try strings("swarm.control")?.map { EndpointSpec(parsing: $0, defaultMode: .bind) } ?? []
    peers = try strings("swarm.peers")?.map { try SwarmPeer(parsing: $0, key: "swarm.peers") } ?? []
    if let text = try string("swarm.snapshot_from"), !text.isEmpty {
      snapshotFrom = try SwarmPeer(parsing: text, key: "swarm.snapshot_from")
    }
    if let v = try number("swarm.snapshot_timeout_s") { snapshotTimeout = v }
    if let v = try flag("swarm.publish") { publish = v }
    if let v = try flag("swarm.learn_from_peers") { learnFromPeers = v }
    // Chunk 0 carries metadata and per-sample lengths besides its payload: keep a margin.
    let margin = min(65536, maxMessageBytes / 2)
    chunkBytes = try integer("swarm.chunk_bytes", 0...Int(Int32.max)) ?? max(256, min(chunkBytes, maxMessageBytes - margin))
    if let v = try number("swarm.shard_timeout_s") { shardTimeout = v }
    if let v = try integer("swarm.max_shard_bytes", 0...(1 << 40)) { maxShardBytes = v }
    maxPendingShards = try integer("swarm.max_pending_shards", 1...1_048_576) ?? maxPendingShards
    maxPendingBytes = try integer("swarm.max_pending_bytes", 0...(1 << 40)) ?? ShardAssembler.defaultPendingBytes(maxShardBytes: maxShardBytes)
    maxSnapshotBytes = try integer("swarm.max_snapshot_bytes", 65_536...(1 << 41)) ?? max(65_536, 2 * maxShardBytes)
    secretKeyFile = try string("security.secret_key") ?? ""
    allowedKeysDirectory = try string("security.allowed_keys") ?? ""
    for (key, value) in [("swarm.snapshot_timeout_s", snapshotTimeout), ("swarm.shard_timeout_s", shardTimeout)]
    where !(value > 0 && value <= Clock.longestWait) {
      throw ParameterError.invalidValue(key: key, reason: "must be seconds in (0, \(Int(Clock.longestWait))]")
    }
    guard !isActive || (chunkBytes >= 256 && chunkBytes + margin <= maxMessageBytes) else {
      throw ParameterError.invalidValue(
        key: "swarm.chunk_bytes", reason: "\(chunkBytes) must be in 256...(limits.max_message_bytes - \(margin))")
    }
    guard maxShardBytes >= chunkBytes else {
      throw ParameterError.invalidValue(key: "swarm.max_shard_bytes", reason: "must be at least swarm.chunk_bytes")
    }
    guard maxPendingBytes >= maxShardBytes else {
      throw ParameterError.invalidValue(
        key: "swarm.max_pending_bytes", reason: "\(maxPendingBytes) must be at least swarm.max_shard_bytes = \(maxShardBytes) (one largest shard must fit)")
    }
    if isSecure {
      guard !allowedKeysDirectory.isEmpty else {
        throw ParameterError.invalidValue(key: "security.allowed_keys", reason: "security.secret_key needs a directory of allowed public keys")
      }
      guard isActive else {
        throw ParameterError.invalidValue(
          key: "security.secret_key", reason: "CURVE guards the swarm sockets: set swarm.endpoint, swarm.control or swarm.peers")
      }
    }
  }
}
