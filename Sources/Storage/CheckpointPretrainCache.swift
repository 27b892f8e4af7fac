import Foundation
import Learner

/// Pretrained models cached on disk as checkpoints, one file per pretraining recipe
/// (`<dir>/pretrained-<hash of the key>.h5`, the full key kept in the file and checked on
/// load), so repeated `r4ncl learn` runs skip the costly pretraining.
public final class CheckpointPretrainCache: PretrainCache {
  public let directory: URL
  public let classNames: [String]

  public init(directory: URL, classNames: [String]) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    self.directory = directory
    self.classNames = classNames
  }

  /// File of `key`: FNV-1a 64 of the key in hex.
  public func url(key: String) -> URL {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return directory.appendingPathComponent("pretrained-\(String(h, radix: 16)).h5")
  }

  public func load(key: String) throws -> PretrainedModel? {
    let u = url(key: key)
    guard FileManager.default.fileExists(atPath: u.path) else { return nil }
    let c = try CheckpointHDF5.read(u)
    guard c.settingsJSON == key else { return nil }
    let oldClasses = key.components(separatedBy: "-data").first?.components(separatedBy: "-old").last.map { $0.split(separator: "_").compactMap { Int($0) } } ?? []
    return PretrainedModel(network: c.network, oldClasses: oldClasses, layerRates: c.layerRates, seconds: 0)
  }

  public func save(_ model: PretrainedModel, key: String) throws {
    try CheckpointHDF5.write(
      Checkpoint(phase: "pretrain", method: "pretrained", network: model.network, layerRates: model.layerRates,
        classNames: classNames, settingsJSON: key),
      to: url(key: key))
  }
}
