import Foundation
import Learner
import Storage

/// Where the CLI finds SHD-format data: `DIR/shd_<split>.h5`, as the SHD download lays it out.
enum DatasetFiles {
  /// The file of `split` ("train", "test") in `directory`.
  static func url(directory: String, split: String) -> URL {
    URL(fileURLWithPath: directory).appendingPathComponent("shd_\(split).h5")
  }

  /// A one-line problem, or nil when `directory` exists and holds the splits.
  static func validate(directory: String, splits: [String]) -> String? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      return "--data '\(directory)': no such directory"
    }
    for split in splits {
      let file = url(directory: directory, split: split).path
      guard FileManager.default.fileExists(atPath: file) else {
        return "--data '\(directory)': missing \(URL(fileURLWithPath: file).lastPathComponent)"
      }
    }
    return nil
  }

  /// Reads a split, keeps the selected classes, and reports what was read and how long it took.
  static func load(directory: String, split: String, classes: ClassSelection) throws
    -> (dataset: SpikeDataset, seconds: Double)
  {
    let url = url(directory: directory, split: split)
    let started = Date()
    var dataset = try SHDFile.read(url)
    let seconds = Date().timeIntervalSince(started)
    try classes.validate(classCount: dataset.classNames.count, file: url.path)
    if let selected = classes.classes { dataset = dataset.filtered(classes: selected) }
    return (dataset, seconds)
  }

  /// "1600 samples, 10.2 M spikes".
  static func summary(_ dataset: SpikeDataset) -> String {
    let spikes = dataset.samples.reduce(0) { $0 + $1.eventCount }
    return "\(dataset.count) samples, \(String(format: "%.1f", Double(spikes) / 1e6)) M spikes"
  }
}
