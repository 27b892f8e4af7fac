import Learner
import Proto

extension SpikeSample {
  /// The engine's sample from a validated wire sample (unit ids must be < 65,536, which the
  /// validator guarantees through the channel count). The wire label is kept as the truth label.
  public init(_ message: R4ncl_V1_SpikeSample) {
    var speaker: Int?
    if case .speaker(let value)? = message.speakerValue { speaker = Int(value) }
    self.init(
      times: message.times, units: message.units.map { UInt16(truncatingIfNeeded: $0) },
      label: message.optionalLabel, speaker: speaker)
  }
}

extension R4ncl_V1_SpikeSample {
  /// A wire sample from the engine's sample, for `channelCount` input channels.
  public init(_ sample: SpikeSample, sensor: String, sequence: UInt64, channelCount: Int) {
    self.init()
    self.sensor = sensor
    self.sequence = sequence
    self.times = sample.times
    self.units = sample.units.map(UInt32.init)
    self.channelCount = UInt32(channelCount)
    // A label or speaker id the wire cannot carry is left out rather than trapping (SHD files
    // bound theirs to uint16 when read; other sources may not).
    if let label = sample.label.flatMap({ Int32(exactly: $0) }) { self.label = label }
    if let speaker = sample.speaker.flatMap({ Int32(exactly: $0) }) { self.speaker = speaker }
  }

  /// The truth label, when the sample carries one.
  public var optionalLabel: Int? {
    if case .label(let value)? = labelValue { return Int(value) }
    return nil
  }
}
