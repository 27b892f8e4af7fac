import Dispatch

/// The continual phases' replay memory: per old class, the encoded latents (one codec, one
/// depth and T). Memory is the exact byte count of the stored encodings. Flattens to
/// bytes + offsets + labels for checkpoints.
public struct ReplayStore: Sendable {
  public let codec: LatentCodec
  public let depth: Int
  public let timesteps: Int
  private(set) var entries: [Int: [[UInt8]]] = [:]
  /// Total stored bytes.
  public private(set) var totalBytes = 0

  public init(codec: LatentCodec, depth: Int, timesteps: Int) {
    self.codec = codec
    self.depth = depth
    self.timesteps = timesteps
  }

  /// Classes held, ascending.
  public var classes: [Int] { entries.keys.sorted() }
  public var sampleCount: Int { entries.values.reduce(0) { $0 + $1.count } }
  public func sampleCount(ofClass c: Int) -> Int { entries[c]?.count ?? 0 }
  public var bytesPerSample: Double { sampleCount == 0 ? 0 : Double(totalBytes) / Double(sampleCount) }

  /// Encodes and stores labeled latents (each under its label).
  public mutating func add(_ latents: [LatentSample]) throws {
    for s in latents {
      guard let label = s.label else { throw ContinualError.emptyReplay("a latent without a label cannot be stored") }
      guard s.depth == depth, s.timesteps == timesteps else {
        throw ContinualError.emptyReplay("latent of depth \(s.depth), T \(s.timesteps) does not fit a store of depth \(depth), T \(timesteps)")
      }
      let bytes = try codec.encode(s)
      entries[label, default: []].append(bytes)
      totalBytes += bytes.count
    }
  }

  /// Stores already encoded bytes under `label` (checkpoint loading).
  public mutating func addEncoded(_ bytes: [UInt8], label: Int) {
    entries[label, default: []].append(bytes)
    totalBytes += bytes.count
  }

  /// The decoded latents of class `c` in stored order.
  public func decoded(ofClass c: Int) throws -> [LatentSample] {
    guard let list = entries[c] else { throw ContinualError.emptyReplay("no stored samples of class \(c)") }
    return try list.map { try codec.decode($0) }
  }

  /// The latents of class `c` decoded straight into event form (spike latents, d >= 1), split
  /// over `threads` (replay decodes every epoch; the result does not depend on the split).
  public func decodedSpikes(ofClass c: Int, threads: Int = 1) throws -> [SpikeLatent] {
    guard let list = entries[c] else { throw ContinualError.emptyReplay("no stored samples of class \(c)") }
    let k = max(1, min(threads, list.count / 16))  // below ~16 samples a thread costs more than it saves
    if k == 1 { return try list.map { try codec.decodeSpikes($0) } }
    let latentCodec = codec
    var parts = [Result<[SpikeLatent], Error>](repeating: .success([]), count: k)
    parts.withUnsafeMutableBufferPointer { out in
      let out = out
      DispatchQueue.concurrentPerform(iterations: k) { i in
        let slice = list[(i * list.count / k)..<((i + 1) * list.count / k)]
        out[i] = Result { try slice.map { try latentCodec.decodeSpikes($0) } }
      }
    }
    return try parts.flatMap { try $0.get() }
  }

  /// The encoded latents of class `c` as stored (empty when absent).
  public func encoded(ofClass c: Int) -> [[UInt8]] { entries[c] ?? [] }

  /// Moves the latents of class `from` to class `to` (decoded, relabelled and encoded again:
  /// the label is part of every encoding). Any latents of `to` are dropped first.
  public mutating func relabel(_ from: Int, to: Int) throws {
    guard from != to else { return }
    let moved = entries[from] == nil ? [] : try decoded(ofClass: from).map { sample -> LatentSample in
      var relabelled = sample
      relabelled.label = to
      return relabelled
    }
    for c in [from, to] {
      totalBytes -= entries[c]?.reduce(0) { $0 + $1.count } ?? 0
      entries[c] = nil
    }
    try add(moved)
  }

  /// Encoded entries flattened: all bytes, offsets (count + 1) and the label of each entry,
  /// classes ascending (the layout checkpoints store).
  public func flattened() -> (bytes: [UInt8], offsets: [Int64], labels: [Int32]) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(totalBytes)
    var offsets: [Int64] = [0]
    var labels: [Int32] = []
    for c in classes {
      for e in entries[c]! {
        bytes.append(contentsOf: e)
        offsets.append(Int64(bytes.count))
        labels.append(Int32(c))
      }
    }
    return (bytes, offsets, labels)
  }
}
