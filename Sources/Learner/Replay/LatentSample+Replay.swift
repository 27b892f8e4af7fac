/// What the replay codecs need from a `LatentSample` (the engine's type in Data/): its kind,
/// a validity check, and bit-exact comparison.
extension LatentSample {
  /// Upper bound on `timesteps * width`, so a corrupt header cannot request a huge allocation.
  public static let maxReplayEntries = 1 << 28

  /// Spikes for d >= 1, currents for d = 0.
  public var kind: LatentKind { LatentKind(depth: depth) }

  /// Number of entries, `timesteps * width`.
  public var entryCount: Int { timesteps * width }

  /// Entries whose bit pattern is not +0.0 (for spikes: the spike count).
  public var nonZeroCount: Int { values.reduce(0) { $0 + ($1.bitPattern != 0 ? 1 : 0) } }

  /// Checks what a codec relies on: depth >= 0, a non-empty shape within
  /// `maxReplayEntries`, `values.count == timesteps * width`, a label >= 0 when present, and
  /// for spikes every value exactly +0.0 or 1.0.
  public func validateForReplay() throws {
    try LatentSample.checkShape(depth: depth, timesteps: timesteps, width: width, label: label)
    guard values.count == timesteps * width else {
      throw LatentSampleError.countMismatch(expected: timesteps * width, actual: values.count)
    }
    if kind == .spikes, let bad = values.firstIndex(where: { $0.bitPattern != 0 && $0 != 1 }) {
      throw LatentSampleError.notBinary(index: bad, value: values[bad])
    }
  }

  /// True when depth, shape, label and every value's bit pattern are equal (so -0.0 differs
  /// from +0.0 and NaN payloads count): the lossless codecs' round-trip criterion.
  public func isBitIdentical(to other: LatentSample) -> Bool {
    depth == other.depth && timesteps == other.timesteps && width == other.width && label == other.label
      && values.count == other.values.count
      && zip(values, other.values).allSatisfy { $0.bitPattern == $1.bitPattern }
  }

  /// 1 where an entry's bit pattern is not +0.0, else 0.
  var nonZeroFlags: [UInt8] { values.map { $0.bitPattern != 0 ? 1 : 0 } }

  static func checkShape(depth: Int, timesteps: Int, width: Int, label: Int?) throws {
    guard depth >= 0 else { throw LatentSampleError.negativeDepth(depth) }
    guard timesteps >= 1, width >= 1 else { throw LatentSampleError.emptyShape(timesteps: timesteps, width: width) }
    guard timesteps <= maxReplayEntries / width else { throw LatentSampleError.tooLarge(timesteps: timesteps, width: width) }
    if let label, label < 0 { throw LatentSampleError.negativeLabel(label) }
  }
}

/// Why a latent sample cannot be stored for replay.
public enum LatentSampleError: Error, Equatable, CustomStringConvertible {
  /// The injection depth is negative.
  case negativeDepth(Int)
  /// timesteps or width is below 1.
  case emptyShape(timesteps: Int, width: Int)
  /// timesteps * width exceeds `LatentSample.maxReplayEntries`.
  case tooLarge(timesteps: Int, width: Int)
  /// The class label is negative.
  case negativeLabel(Int)
  /// The number of values does not match the shape.
  case countMismatch(expected: Int, actual: Int)
  /// A spike latent (d >= 1) holds a value other than 0 or 1.
  case notBinary(index: Int, value: Float)

  public var description: String {
    switch self {
    case .negativeDepth(let d): return "latent sample: depth \(d) is negative"
    case .emptyShape(let t, let n): return "latent sample: shape T=\(t) x N=\(n) is empty (both must be >= 1)"
    case .tooLarge(let t, let n): return "latent sample: shape T=\(t) x N=\(n) exceeds \(LatentSample.maxReplayEntries) entries"
    case .negativeLabel(let l): return "latent sample: label \(l) is negative"
    case .countMismatch(let e, let a): return "latent sample: expected \(e) values for the shape, got \(a)"
    case .notBinary(let i, let v): return "latent sample: spike entry \(i) is \(v), must be 0 or 1"
    }
  }
}
