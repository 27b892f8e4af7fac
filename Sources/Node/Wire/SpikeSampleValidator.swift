import Proto

/// Checks a decoded `SpikeSample` against the model's input before it reaches the network:
/// matching channel count, unit ids in range, finite, non-negative, ascending times, and at
/// least one event inside the model's time window.
public struct SpikeSampleValidator: Sendable {
  /// The bounds to enforce.
  public var limits: ValidationLimits

  public init(limits: ValidationLimits) { self.limits = limits }

  /// The first problem found in `sample`, or nil when it is valid.
  /// `sensor` is the sensor named by the topic (nil inside a LabelEvent).
  public func problem(in sample: R4ncl_V1_SpikeSample, topicSensor sensor: String? = nil) -> RejectionReason? {
    if (sensor?.utf8.count ?? 0) > limits.maxNameBytes || sample.sensor.utf8.count > limits.maxNameBytes { return .nameTooLong }
    if let sensor, !sample.sensor.isEmpty, sample.sensor != sensor { return .sensorMismatch }
    if Int(sample.channelCount) != limits.channelCount { return .channelCountMismatch }
    if sample.times.count != sample.units.count { return .lengthMismatch }
    if sample.times.count > limits.maxEvents { return .oversized }
    if sample.times.isEmpty { return .emptySample }
    let channels = UInt32(limits.channelCount)
    for unit in sample.units where unit >= channels { return .unitOutOfRange }
    var previous: Float = 0
    for time in sample.times {
      if !time.isFinite { return .timeNotFinite }
      if time < 0 { return .timeNegative }
      if time < previous { return .timesUnsorted }
      previous = time
    }
    if let binning = limits.binning, !binning.keepsAnyEvent(sample.times) { return .outsideWindow }
    return nil
  }
}
