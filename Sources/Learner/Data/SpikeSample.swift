/// One recording as a list of spike events (SHD's representation): event `i` is a spike of
/// input channel `units[i]` at `times[i]` seconds, times ascending.
public struct SpikeSample: Sendable, Equatable {
  public var times: [Float]
  public var units: [UInt16]
  /// Class id, or nil for an unlabeled stream sample.
  public var label: Int?
  /// Speaker id (SHD `extra/speaker`), or nil when unknown.
  public var speaker: Int?

  public init(times: [Float], units: [UInt16], label: Int? = nil, speaker: Int? = nil) {
    precondition(times.count == units.count, "times and units must have the same length")
    self.times = times
    self.units = units
    self.label = label
    self.speaker = speaker
  }

  public var eventCount: Int { times.count }
}
