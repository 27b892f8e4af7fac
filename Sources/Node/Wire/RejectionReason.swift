/// Why the node refused an incoming message. Every rejection is counted per reason and
/// reported in `NodeStatus.rejected_by_reason` under `rawValue`.
public enum RejectionReason: String, CaseIterable, Sendable, Comparable, Error {
  /// The message did not have exactly two frames (topic, payload).
  case badFrames = "bad_frames"
  /// The topic is not one the socket serves (e.g. another namespace or an unknown name).
  case unknownTopic = "unknown_topic"
  /// The payload is larger than the configured maximum message size, or has too many events.
  case oversized = "oversized"
  /// The payload does not decode as protobuf.
  case notProtobuf = "not_protobuf"
  /// The payload is a valid message of another type than the topic carries.
  case wrongMessageType = "wrong_message_type"
  /// A spike sample's `sensor` field differs from the sensor named by its topic.
  case sensorMismatch = "sensor_mismatch"
  /// `channel_count` differs from the model's input size.
  case channelCountMismatch = "channel_count_mismatch"
  /// `times` and `units` have different lengths.
  case lengthMismatch = "length_mismatch"
  /// A unit id is >= the channel count.
  case unitOutOfRange = "unit_out_of_range"
  /// A spike time is NaN or infinite.
  case timeNotFinite = "time_not_finite"
  /// A spike time is negative.
  case timeNegative = "time_negative"
  /// Spike times are not in ascending order.
  case timesUnsorted = "times_unsorted"
  /// The sample has no events.
  case emptySample = "empty_sample"
  /// None of a sample's events lies inside the model's time window (`[0, max_time)` after
  /// onset alignment): the model would see silence.
  case outsideWindow = "outside_window"
  /// A label event sets none of announce / samples / learn-now.
  case emptyEvent = "empty_event"
  /// A label event names a class the node neither knows nor was told about.
  case unknownClass = "unknown_class"
  /// A class id outside 0..<capacity (the readout's maximum number of classes).
  case classCapacity = "class_capacity"
  /// A sensor, teacher or class name is longer than `ValidationLimits.maxNameBytes`.
  case nameTooLong = "name_too_long"
  /// A class announcement conflicts with a known class (same id other name, or vice versa),
  /// or has an empty name.
  case classConflict = "class_conflict"
  /// A label event would take the spool past `spool.max_bytes`, or its class past
  /// `spool.max_samples_per_class`: refused until learning takes samples out of the spool.
  case spoolFull = "spool_full"

  public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
