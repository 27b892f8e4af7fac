/// The activity at the injection depth d for one sample, time-major `[T][N]`, with its class:
/// binary spikes of hidden layer d for d >= 1, Float32 input currents of hidden 1 for d = 0
/// (SpikingLR stores the float current `x[t] W1` at d = 0). This is what replay codecs compress.
public struct LatentSample: Sendable {
  /// Timesteps T.
  public let timesteps: Int
  /// Units N at the injection depth.
  public let units: Int
  /// Class id (>= 0).
  public let label: Int
  /// The entries, time-major: entry `t * units + n`.
  public let values: LatentValues

  /// Upper bound on `timesteps * units`, so a corrupt header cannot request a huge allocation.
  public static let maxEntries = 1 << 28

  /// A spike latent; `spikes[t * units + n]` must be 0 or 1.
  public init(spikes: [UInt8], timesteps: Int, units: Int, label: Int) throws {
    try LatentSample.checkShape(timesteps: timesteps, units: units, label: label, count: spikes.count)
    if let bad = spikes.firstIndex(where: { $0 > 1 }) {
      throw LatentSampleError.notBinary(index: bad, value: spikes[bad])
    }
    self.init(unchecked: .spikes(spikes), timesteps: timesteps, units: units, label: label)
  }

  /// A current latent (d = 0); `currents[t * units + n]` is the input current of unit n at step t.
  public init(currents: [Float], timesteps: Int, units: Int, label: Int) throws {
    try LatentSample.checkShape(timesteps: timesteps, units: units, label: label, count: currents.count)
    self.init(unchecked: .currents(currents), timesteps: timesteps, units: units, label: label)
  }

  /// Used by codecs after they validated the decoded entries themselves.
  init(unchecked values: LatentValues, timesteps: Int, units: Int, label: Int) {
    self.timesteps = timesteps
    self.units = units
    self.label = label
    self.values = values
  }

  /// Extracts sample `index` of a time-major `[T][B][N]` Float tensor, as the network lays out
  /// activity. For `.spikes`, any non-zero value becomes a spike.
  public init(
    batchTensor tensor: [Float], timesteps: Int, batchSize: Int, units: Int, index: Int,
    label: Int, kind: LatentKind
  ) throws {
    guard batchSize >= 1, index >= 0, index < batchSize else {
      throw LatentSampleError.batchIndexOutOfRange(index: index, batchSize: batchSize)
    }
    try LatentSample.checkShape(
      timesteps: timesteps, units: units, label: label, count: tensor.count / batchSize)
    guard tensor.count == timesteps * batchSize * units else {
      throw LatentSampleError.countMismatch(expected: timesteps * batchSize * units, actual: tensor.count)
    }
    switch kind {
    case .spikes:
      var out = [UInt8](repeating: 0, count: timesteps * units)
      for t in 0..<timesteps {
        let base = (t * batchSize + index) * units
        for n in 0..<units where tensor[base + n] != 0 { out[t * units + n] = 1 }
      }
      self.init(unchecked: .spikes(out), timesteps: timesteps, units: units, label: label)
    case .currents:
      var out = [Float](repeating: 0, count: timesteps * units)
      for t in 0..<timesteps {
        let base = (t * batchSize + index) * units
        for n in 0..<units { out[t * units + n] = tensor[base + n] }
      }
      self.init(unchecked: .currents(out), timesteps: timesteps, units: units, label: label)
    }
  }

  /// Spikes or currents.
  public var kind: LatentKind {
    switch values {
    case .spikes: return .spikes
    case .currents: return .currents
    }
  }

  /// Number of entries, `timesteps * units`.
  public var entryCount: Int { timesteps * units }

  /// Number of non-zero entries (spikes, or currents whose bit pattern is not +0.0).
  public var nonZeroCount: Int {
    switch values {
    case .spikes(let s): return s.reduce(0) { $0 + Int($1) }
    case .currents(let c): return c.reduce(0) { $0 + ($1.bitPattern != 0 ? 1 : 0) }
    }
  }

  /// 1 where an entry is non-zero (for currents: bit pattern other than +0.0), else 0.
  var nonZeroFlags: [UInt8] {
    switch values {
    case .spikes(let s): return s
    case .currents(let c): return c.map { $0.bitPattern != 0 ? 1 : 0 }
    }
  }

  /// Entry (t, n) as a Float (spikes as 0 or 1).
  public subscript(t: Int, n: Int) -> Float {
    switch values {
    case .spikes(let s): return Float(s[t * units + n])
    case .currents(let c): return c[t * units + n]
    }
  }

  /// True when shape, label, kind and every entry's bit pattern are equal (so NaN payloads
  /// and -0.0 count as different from +0.0): the lossless codecs' round-trip criterion.
  public func isBitIdentical(to other: LatentSample) -> Bool {
    guard timesteps == other.timesteps, units == other.units, label == other.label else { return false }
    switch (values, other.values) {
    case (.spikes(let a), .spikes(let b)): return a == b
    case (.currents(let a), .currents(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    default: return false
    }
  }

  /// Writes this sample as column `index` of a time-major `[T][B][N]` tensor.
  public func write(into tensor: inout [Float], batchSize: Int, index: Int) throws {
    guard batchSize >= 1, index >= 0, index < batchSize else {
      throw LatentSampleError.batchIndexOutOfRange(index: index, batchSize: batchSize)
    }
    guard tensor.count == timesteps * batchSize * units else {
      throw LatentSampleError.countMismatch(expected: timesteps * batchSize * units, actual: tensor.count)
    }
    let (t0, n0, b) = (timesteps, units, batchSize)
    tensor.withUnsafeMutableBufferPointer { out in
      switch values {
      case .spikes(let s):
        s.withUnsafeBufferPointer { src in
          for t in 0..<t0 {
            let base = (t &* b &+ index) &* n0
            for n in 0..<n0 { out[base &+ n] = Float(src[t &* n0 &+ n]) }
          }
        }
      case .currents(let c):
        c.withUnsafeBufferPointer { src in
          for t in 0..<t0 {
            let base = (t &* b &+ index) &* n0
            for n in 0..<n0 { out[base &+ n] = src[t &* n0 &+ n] }
          }
        }
      }
    }
  }

  static func checkShape(timesteps: Int, units: Int, label: Int, count: Int) throws {
    guard timesteps >= 1, units >= 1 else {
      throw LatentSampleError.emptyShape(timesteps: timesteps, units: units)
    }
    guard timesteps <= maxEntries / units else {
      throw LatentSampleError.tooLarge(timesteps: timesteps, units: units)
    }
    guard label >= 0 else { throw LatentSampleError.negativeLabel(label) }
    guard count == timesteps * units else {
      throw LatentSampleError.countMismatch(expected: timesteps * units, actual: count)
    }
  }
}

/// The two kinds of latent a depth can hold.
public enum LatentKind: String, Sendable, Codable, CaseIterable {
  /// Binary spikes of a hidden layer (d >= 1).
  case spikes
  /// Float32 input currents of hidden layer 1 (d = 0).
  case currents

  /// The kind SpikingLR stores at injection depth `depth`.
  public init(depth: Int) { self = depth == 0 ? .currents : .spikes }
}

/// The entries of a latent, time-major.
public enum LatentValues: Sendable, Equatable {
  /// One 0/1 byte per entry.
  case spikes([UInt8])
  /// One Float32 per entry.
  case currents([Float])
}

/// Why a latent sample could not be built.
public enum LatentSampleError: Error, Equatable, CustomStringConvertible {
  /// timesteps or units is below 1.
  case emptyShape(timesteps: Int, units: Int)
  /// timesteps * units exceeds `LatentSample.maxEntries`.
  case tooLarge(timesteps: Int, units: Int)
  /// The class label is negative.
  case negativeLabel(Int)
  /// The number of values does not match the shape.
  case countMismatch(expected: Int, actual: Int)
  /// A spike entry is neither 0 nor 1.
  case notBinary(index: Int, value: UInt8)
  /// A batch column index is outside the batch.
  case batchIndexOutOfRange(index: Int, batchSize: Int)

  public var description: String {
    switch self {
    case .emptyShape(let t, let n): return "latent sample: shape T=\(t) x N=\(n) is empty (both must be >= 1)"
    case .tooLarge(let t, let n): return "latent sample: shape T=\(t) x N=\(n) exceeds \(LatentSample.maxEntries) entries"
    case .negativeLabel(let l): return "latent sample: label \(l) is negative"
    case .countMismatch(let e, let a): return "latent sample: expected \(e) values for the shape, got \(a)"
    case .notBinary(let i, let v): return "latent sample: spike entry \(i) is \(v), must be 0 or 1"
    case .batchIndexOutOfRange(let i, let b): return "latent sample: batch index \(i) outside batch of \(b)"
    }
  }
}
