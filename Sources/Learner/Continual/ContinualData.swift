/// The train and test splits of a continual run, binned lazily once per (T, window) and shared
/// by every method and phase.
public final class ContinualData: @unchecked Sendable {
  public let train: SpikeDataset
  public let test: SpikeDataset
  private var trainCache: [String: [BinnedSample]] = [:]
  private var testCache: [String: [BinnedSample]] = [:]

  public init(train: SpikeDataset, test: SpikeDataset) {
    self.train = train
    self.test = test
  }

  public var channelCount: Int { train.channelCount }

  /// Identifies the data in cache keys: sample and spike counts of both splits.
  public var fingerprint: String {
    func f(_ d: SpikeDataset) -> String { "\(d.count)x\(d.samples.reduce(0) { $0 + $1.eventCount })" }
    return "\(f(train))-\(f(test))"
  }
  /// Number of classes: the class names' count, at least one more than the largest label.
  public var classCount: Int {
    let maxLabel = (train.samples + test.samples).compactMap(\.label).max() ?? -1
    return max(train.classNames.count, maxLabel + 1)
  }

  /// Training samples binned by `binning`.
  public func trainBinned(_ binning: SpikeBinning) throws -> [BinnedSample] {
    let key = Self.key(binning)
    if let b = trainCache[key] { return b }
    let b = try binning.bin(train)
    trainCache[key] = b
    return b
  }

  /// Test samples binned by `binning`.
  public func testBinned(_ binning: SpikeBinning) throws -> [BinnedSample] {
    let key = Self.key(binning)
    if let b = testCache[key] { return b }
    let b = try binning.bin(test)
    testCache[key] = b
    return b
  }

  /// Training samples binned at T steps over `maxTime` seconds (SpikingLR's encoding).
  public func trainBinned(timesteps: Int, maxTime: Double) throws -> [BinnedSample] {
    try trainBinned(SpikeBinning(timesteps: timesteps, maxTime: maxTime))
  }

  /// Test samples binned at T steps over `maxTime` seconds (SpikingLR's encoding).
  public func testBinned(timesteps: Int, maxTime: Double) throws -> [BinnedSample] {
    try testBinned(SpikeBinning(timesteps: timesteps, maxTime: maxTime))
  }

  private static func key(_ b: SpikeBinning) -> String {
    "\(b.timesteps)/\(b.maxTime)/p\(b.pooling)/" + (b.onset.map { "q\($0.quantile)l\($0.lead)" } ?? "raw")
  }
}

extension Array where Element == BinnedSample {
  /// The samples whose label is in `classes`.
  func withLabels(in classes: Set<Int>) -> [BinnedSample] { filter { $0.label.map(classes.contains) ?? false } }
}
