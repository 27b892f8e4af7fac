/// A batch of decoded latents laid out as the network consumes them: time-major `[T][B][N]`
/// Float32 (spikes as 0/1), with one label per column. What a replay step injects at depth d.
public struct LatentBatch: Sendable, Equatable {
  public let timesteps: Int
  public let batchSize: Int
  public let units: Int
  public let kind: LatentKind
  /// `values[(t * batchSize + b) * units + n]`.
  public var values: [Float]
  /// Class label of each column.
  public var labels: [Int]

  /// Stacks samples of one shape and kind into a batch; throws when they disagree.
  public init(samples: [LatentSample]) throws {
    guard let first = samples.first else { throw ReplayBufferError.emptyBatch }
    for s in samples where s.timesteps != first.timesteps || s.units != first.units || s.kind != first.kind {
      throw ReplayBufferError.shapeMismatch(
        expected: "\(first.kind.rawValue) \(first.timesteps)x\(first.units)",
        found: "\(s.kind.rawValue) \(s.timesteps)x\(s.units)")
    }
    timesteps = first.timesteps
    batchSize = samples.count
    units = first.units
    kind = first.kind
    var v = [Float](repeating: 0, count: timesteps * batchSize * units)
    for (b, s) in samples.enumerated() { try s.write(into: &v, batchSize: batchSize, index: b) }
    values = v
    labels = samples.map(\.label)
  }
}
