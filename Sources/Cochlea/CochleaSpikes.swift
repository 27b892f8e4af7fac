/// Spikes of the cochlea's 700 bushy cells: event `i` is channel `channels[i]` at model sample
/// `sampleIndices[i]` (time = index / rate), ordered by time, then channel (as lauscher's
/// `SpikeTrain.from_dense` and SHD).
public struct CochleaSpikes: Sendable, Equatable {
  public var sampleIndices: [Int32] = []
  public var channels: [UInt16] = []
  /// Model sample rate (Hz) the indices count in.
  public var rate: Double

  public init(rate: Double) { self.rate = rate }

  public var count: Int { channels.count }

  /// Event times in seconds.
  public var times: [Float] { sampleIndices.map { Float(Double($0) / rate) } }

  /// Appends `other` (which must start at or after this one's last event).
  public mutating func append(_ other: CochleaSpikes) {
    sampleIndices.append(contentsOf: other.sampleIndices)
    channels.append(contentsOf: other.channels)
  }
}
