import Foundation
import Learner
import Proto
import Storage

/// A baseline classifier: each class is the mean of its samples' normalised spike-count
/// histograms over (time bin, channel group); the score is minus the squared distance.
/// It needs no training run, learns a class from a handful of samples, and lets the node,
/// its tools and tests run end to end without the spiking engine.
public final class CentroidClassifier: ClassifierModel, @unchecked Sendable {
  /// Feature layout shared by every centroid.
  public struct Layout: Sendable, Equatable, Codable {
    /// Input channels.
    public var channels: Int
    /// Channels per group (features per bin = ceil(channels / group)).
    public var channelGroup: Int
    /// Time bins over `maxTime`.
    public var timeBins: Int
    /// Seconds covered by the bins; later events fall in the last bin.
    public var maxTime: Float

    public init(channels: Int = 700, channelGroup: Int = 35, timeBins: Int = 4, maxTime: Float = 1.4) {
      self.channels = channels
      self.channelGroup = channelGroup
      self.timeBins = timeBins
      self.maxTime = maxTime
    }

    var groups: Int { (channels + channelGroup - 1) / channelGroup }
    /// Length of a feature vector.
    public var featureCount: Int { groups * timeBins }
  }

  public let version: UInt64
  public let classes: ClassMap
  public let layout: Layout
  /// Centroid per class id.
  public let centroids: [Int: [Float]]
  /// Samples behind each centroid (to merge new samples of a known class).
  public let sampleCounts: [Int: Int]

  public init(version: UInt64, classes: ClassMap, layout: Layout, centroids: [Int: [Float]], sampleCounts: [Int: Int]) {
    self.version = version
    self.classes = classes
    self.layout = layout
    self.centroids = centroids
    self.sampleCounts = sampleCounts
  }

  /// An empty model (no classes) that learns everything from label events.
  public convenience init(layout: Layout = Layout()) {
    self.init(version: 0, classes: ClassMap(), layout: layout, centroids: [:], sampleCounts: [:])
  }

  public var channelCount: Int { layout.channels }

  public var baseFingerprint: String {
    let json = (try? JSONEncoder.sorted.encode(layout)) ?? Data()
    return String(format: "%08x", CRC32.checksum(Array("centroid".utf8) + Array(json)))
  }

  /// The feature vector of `sample`: counts per (bin, group), scaled to unit sum.
  public func features(_ sample: SpikeSample) -> [Float] {
    var counts = [Float](repeating: 0, count: layout.featureCount)
    let groups = layout.groups
    let binWidth = layout.maxTime / Float(layout.timeBins)
    for (time, unit) in zip(sample.times, sample.units) {
      // Clamp in Float first: a huge finite time (valid on the wire) would overflow Int(_:).
      let position = time / binWidth
      let bin = position >= Float(layout.timeBins - 1) ? layout.timeBins - 1 : (position > 0 ? Int(position) : 0)
      let group = min(groups - 1, Int(unit) / layout.channelGroup)
      counts[bin * groups + group] += 1
    }
    let total = counts.reduce(0, +)
    if total > 0 { for i in counts.indices { counts[i] /= total } }
    return counts
  }

  public func scores(_ sample: SpikeSample) -> [Float] {
    let x = features(sample)
    var scores = [Float](repeating: -.greatestFiniteMagnitude, count: classes.rowCount)
    for (id, centroid) in centroids where id < scores.count {
      var distance: Float = 0
      for i in x.indices {
        let d = x[i] - centroid[i]
        distance += d * d
      }
      scores[id] = -distance
    }
    return scores
  }

  public func checkpoint() -> R4ncl_V1_Checkpoint {
    var checkpoint = R4ncl_V1_Checkpoint()
    checkpoint.modelVersion = version
    checkpoint.configurationJson = String(decoding: (try? JSONEncoder.sorted.encode(layout)) ?? Data(), as: UTF8.self)
    checkpoint.classes = classes.entries
    checkpoint.baseFingerprint = baseFingerprint
    checkpoint.timesteps = UInt32(layout.timeBins)
    checkpoint.createdTimeNs = Clock.nowNanoseconds()
    checkpoint.tensors = classes.ids.map { id in
      var tensor = R4ncl_V1_Tensor()
      tensor.name = "centroid.\(id)"
      tensor.shape = [UInt32(layout.featureCount), UInt32(sampleCounts[id] ?? 0)]
      tensor.values = centroids[id] ?? []
      return tensor
    }
    return checkpoint
  }
}

extension JSONEncoder {
  /// An encoder with sorted keys, so equal values encode to equal bytes (fingerprints).
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}

/// Learns classes into a `CentroidClassifier` (mean feature vector per class) and loads its
/// checkpoints: the node's baseline backend.
public struct CentroidBackend: IncrementalLearner, ModelLoader {
  public init() {}

  public func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws
    -> any ClassifierModel
  {
    guard let model = model as? CentroidClassifier else {
      throw NodeError.incompatibleModel("the centroid learner needs a centroid model")
    }
    var centroids = model.centroids
    var counts = model.sampleCounts
    let total = max(job.samples.count, 1)
    for (index, sample) in job.samples.enumerated() {
      guard let id = sample.label else { continue }
      let x = model.features(sample)
      let n = Float(counts[id] ?? 0)
      var centroid = centroids[id] ?? [Float](repeating: 0, count: x.count)
      // Running mean: c' = (n c + x) / (n + 1).
      for i in x.indices { centroid[i] = (n * centroid[i] + x[i]) / (n + 1) }
      centroids[id] = centroid
      counts[id] = Int(n) + 1
      if !progress(LearningUpdate(phase: "learn", epoch: 0, epochs: 1, fraction: Float(index + 1) / Float(total))) {
        throw LearningCancelled()
      }
    }
    return CentroidClassifier(
      version: model.version + 1, classes: model.classes.merging(job.newClasses), layout: model.layout,
      centroids: centroids, sampleCounts: counts)
  }

  public func load(_ checkpoint: R4ncl_V1_Checkpoint) throws -> any ClassifierModel {
    guard let layout = try? JSONDecoder().decode(CentroidClassifier.Layout.self, from: Data(checkpoint.configurationJson.utf8))
    else { throw NodeError.incompatibleModel("checkpoint is not a centroid model (configuration \(checkpoint.configurationJson.prefix(80)))") }
    var centroids: [Int: [Float]] = [:]
    var counts: [Int: Int] = [:]
    for tensor in checkpoint.tensors {
      guard tensor.name.hasPrefix("centroid."), let id = Int(tensor.name.dropFirst("centroid.".count)),
        tensor.values.count == layout.featureCount, tensor.shape.count == 2
      else { throw NodeError.incompatibleModel("centroid tensor \(tensor.name) has the wrong name or size") }
      centroids[id] = tensor.values
      counts[id] = Int(tensor.shape[1])
    }
    return CentroidClassifier(
      version: checkpoint.modelVersion,
      classes: try ClassMap(checking: checkpoint.classes.map { (Int($0.id), $0.name) }, rows: SHDFile.labelRange.count), layout: layout,
      centroids: centroids, sampleCounts: counts)
  }
}
