/// A labeled collection of spike samples in memory, as stored in an SHD-format file.
public struct SpikeDataset: Sendable, Equatable {
  public var samples: [SpikeSample]
  /// Input channels per sample (700 for SHD).
  public var channelCount: Int
  /// Class names in label order (SHD `extra/keys`).
  public var classNames: [String]

  public init(samples: [SpikeSample], channelCount: Int = 700, classNames: [String]) {
    self.samples = samples
    self.channelCount = channelCount
    self.classNames = classNames
  }

  public var count: Int { samples.count }

  /// The samples whose label is in `classes`, order kept.
  public func filtered(classes: Set<Int>) -> SpikeDataset {
    SpikeDataset(
      samples: samples.filter { $0.label.map(classes.contains) ?? false },
      channelCount: channelCount, classNames: classNames)
  }
}
