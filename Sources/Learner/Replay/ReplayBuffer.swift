/// The replay memory of latent replay: per old class a list of encoded latents, all taken at
/// one injection depth with one codec and shape. Memory is the exact encoded byte count
/// (per-sample headers included). SpikingLR replays one old class per batch, hence `batches(ofClass:)`.
public struct ReplayBuffer: Sendable {
  /// The codec every entry is encoded with.
  public let codec: any ReplayCodec
  /// Injection depth d (0 = input currents of hidden 1, k = spikes of hidden k).
  public let depth: Int
  /// Timesteps T of every latent.
  public let timesteps: Int
  /// Units N at depth d (the latents' `width`).
  public let units: Int
  /// Identifies the frozen base network the latents came from (a hash of the frozen weights,
  /// say); latents only make sense to a network with the same frozen part. nil when unknown.
  public var baseFingerprint: String?
  /// Spikes for d >= 1, currents for d = 0.
  public var kind: LatentKind { LatentKind(depth: depth) }

  /// Encoded samples per class, in insertion order.
  var entries: [Int: [[UInt8]]] = [:]
  /// Running total of encoded bytes.
  public internal(set) var totalBytes = 0

  public init(codec: any ReplayCodec, depth: Int, timesteps: Int, units: Int, baseFingerprint: String? = nil) throws {
    guard depth >= 0 else { throw ReplayBufferError.invalidMetadata("depth \(depth) is negative") }
    guard timesteps >= 1, units >= 1 else {
      throw ReplayBufferError.invalidMetadata("shape T=\(timesteps) x N=\(units) must be at least 1x1")
    }
    self.codec = codec
    self.depth = depth
    self.timesteps = timesteps
    self.units = units
    self.baseFingerprint = baseFingerprint
  }

  /// Class ids held, ascending.
  public var classes: [Int] { entries.keys.sorted() }

  /// Number of stored samples of `label` (0 when absent).
  public func sampleCount(ofClass label: Int) -> Int { entries[label]?.count ?? 0 }

  /// Number of stored samples over all classes.
  public var sampleCount: Int { entries.values.reduce(0) { $0 + $1.count } }

  /// Encoded bytes of the samples of `label`.
  public func byteCount(ofClass label: Int) -> Int { entries[label]?.reduce(0) { $0 + $1.count } ?? 0 }

  /// Mean encoded bytes per sample (0 when empty).
  public var bytesPerSample: Double { sampleCount == 0 ? 0 : Double(totalBytes) / Double(sampleCount) }

  /// Encodes and stores `sample` under its label; it must be labelled and match the buffer's
  /// depth and shape.
  public mutating func add(_ sample: LatentSample) throws {
    guard sample.depth == depth, sample.timesteps == timesteps, sample.width == units else {
      throw ReplayBufferError.shapeMismatch(
        expected: "depth \(depth) \(timesteps)x\(units)",
        found: "depth \(sample.depth) \(sample.timesteps)x\(sample.width)")
    }
    guard let label = sample.label else { throw ReplayBufferError.unlabeled }
    let bytes = try codec.encode(sample)
    entries[label, default: []].append(bytes)
    totalBytes += bytes.count
  }

  /// Adds every sample of `samples` (see `add(_:)`).
  public mutating func add(contentsOf samples: [LatentSample]) throws {
    for s in samples { try add(s) }
  }

  /// Appends every entry of `other` (e.g. a class a peer learned), bytes as they are. The
  /// codec, depth, shape and (when both are known) base fingerprint must match.
  public mutating func merge(_ other: ReplayBuffer) throws {
    guard other.codec.name == codec.name, other.depth == depth, other.timesteps == timesteps, other.units == units else {
      throw ReplayBufferError.incompatible(
        "buffer is \(codec.name) d=\(depth) \(timesteps)x\(units), other is \(other.codec.name) d=\(other.depth) \(other.timesteps)x\(other.units)")
    }
    if let a = baseFingerprint, let b = other.baseFingerprint, a != b {
      throw ReplayBufferError.incompatible("base fingerprints differ (\(a) vs \(b))")
    }
    for (label, list) in other.entries {
      entries[label, default: []].append(contentsOf: list)
      totalBytes += list.reduce(0) { $0 + $1.count }
    }
  }

  /// Drops every sample of `label`; returns how many were dropped.
  @discardableResult
  public mutating func removeClass(_ label: Int) -> Int {
    guard let list = entries.removeValue(forKey: label) else { return 0 }
    totalBytes -= list.reduce(0) { $0 + $1.count }
    return list.count
  }

  /// The encoded bytes of sample `index` of `label`.
  public func encoded(ofClass label: Int, index: Int) throws -> [UInt8] {
    guard let list = entries[label] else { throw ReplayBufferError.unknownClass(label) }
    guard index >= 0, index < list.count else {
      throw ReplayBufferError.indexOutOfRange(label: label, index: index, count: list.count)
    }
    return list[index]
  }

  /// All samples of `label`, decoded (lossy codecs return the decompressed form).
  public func decodedSamples(ofClass label: Int) throws -> [LatentSample] {
    guard let list = entries[label] else { throw ReplayBufferError.unknownClass(label) }
    return try list.map(codec.decode)
  }

  /// Every stored sample, decoded, classes ascending (e.g. for a trainer that shuffles itself).
  public func decodedSamples() throws -> [LatentSample] {
    try classes.flatMap { try decodedSamples(ofClass: $0) }
  }

  /// The samples of `label` at `indices` (in that order), decoded: one replay batch.
  public func batch(ofClass label: Int, indices: [Int]) throws -> [LatentSample] {
    try indices.map { try codec.decode(encoded(ofClass: label, index: $0)) }
  }

  /// The samples of `label` in stored order, decoded and cut into batches of at most
  /// `batchSize` (the last may be smaller). SpikingLR replays one old class per batch.
  public func batches(ofClass label: Int, batchSize: Int) throws -> [[LatentSample]] {
    guard batchSize >= 1 else { throw ReplayBufferError.invalidMetadata("batch size \(batchSize) must be >= 1") }
    let n = sampleCount(ofClass: label)
    guard n > 0 else { throw ReplayBufferError.unknownClass(label) }
    return try stride(from: 0, to: n, by: batchSize).map {
      try batch(ofClass: label, indices: Array($0..<min($0 + batchSize, n)))
    }
  }
}

/// Why a replay buffer operation failed.
public enum ReplayBufferError: Error, Equatable, CustomStringConvertible {
  /// A sample's depth or shape differs from the buffer's.
  case shapeMismatch(expected: String, found: String)
  /// A sample without a class label cannot be stored (the buffer is keyed by class).
  case unlabeled
  /// The buffer holds no sample of this class.
  case unknownClass(Int)
  /// A sample index is outside the class's list.
  case indexOutOfRange(label: Int, index: Int, count: Int)
  /// Depth, shape, batch size or another metadata field is invalid.
  case invalidMetadata(String)
  /// The plain representation is inconsistent (offsets, labels, byte counts).
  case invalidRepresentation(String)
  /// Two buffers cannot be merged (codec, depth, shape or base fingerprint differ).
  case incompatible(String)
  /// A stored entry failed to decode.
  case corruptEntry(index: Int, reason: String)

  public var description: String {
    switch self {
    case .shapeMismatch(let e, let f): return "replay buffer: sample is \(f), buffer holds \(e)"
    case .unknownClass(let c): return "replay buffer: no samples of class \(c)"
    case .indexOutOfRange(let c, let i, let n): return "replay buffer: index \(i) outside the \(n) samples of class \(c)"
    case .unlabeled: return "replay buffer: the sample has no class label"
    case .invalidMetadata(let m): return "replay buffer: \(m)"
    case .invalidRepresentation(let m): return "replay buffer representation: \(m)"
    case .incompatible(let m): return "replay buffer merge: \(m)"
    case .corruptEntry(let i, let r): return "replay buffer representation: entry \(i) does not decode: \(r)"
    }
  }
}
