import Learner

/// Bounds an incoming message must respect. Defaults suit SHD (700 channels, ~6,300 events
/// per sample); every bound is configurable from the node's parameters.
public struct ValidationLimits: Sendable, Equatable {
  /// Input channels of the model: `channel_count` must equal it and unit ids stay below it.
  public var channelCount: Int
  /// Largest accepted payload frame, bytes.
  public var maxPayloadBytes: Int
  /// Most events in one sample.
  public var maxEvents: Int
  /// Most samples in one LabeledSamples event.
  public var maxSamplesPerEvent: Int
  /// Class capacity of the readout: class ids must be in 0..<classCapacity.
  public var classCapacity: Int
  /// Longest sensor, teacher or class name, UTF-8 bytes (names are kept, logged and published
  /// in every status, so a payload-sized name must not get in).
  public var maxNameBytes: Int
  /// The model's binning (nil: not checked): a sample none of whose events lands in its time
  /// window would be predicted, or learned, as silence, so it is refused instead. Set from the
  /// model in service, not from the parameters.
  public var binning: SpikeBinning?

  public init(
    channelCount: Int = 700, maxPayloadBytes: Int = 4 << 20, maxEvents: Int = 200_000,
    maxSamplesPerEvent: Int = 256, classCapacity: Int = 64, maxNameBytes: Int = 256
  ) {
    self.maxNameBytes = maxNameBytes
    self.channelCount = channelCount
    self.maxPayloadBytes = maxPayloadBytes
    self.maxEvents = maxEvents
    self.maxSamplesPerEvent = maxSamplesPerEvent
    self.classCapacity = classCapacity
  }
}
