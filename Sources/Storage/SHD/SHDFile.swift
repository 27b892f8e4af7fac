import Foundation
import Learner

/// Reads and writes spike datasets in the layout of the Spiking Heidelberg Digits files:
/// `spikes/times` (ragged float16 seconds), `spikes/units` (ragged uint16), `labels` (uint16),
/// `extra/keys` (class names), `extra/speaker` (uint16), `extra/meta_info/*`, root attributes.
public enum SHDFile {
  /// SHD's input channel count.
  public static let channelCount = 700
  /// The values a label or a speaker id can take: the files store them as uint16. Class ids the
  /// tools and the node accept are bounded by it too.
  public static let labelRange = 0...Int(UInt16.max)

  /// Reads the samples, labels, class names and speakers of the SHD file at `url`.
  /// Unit ids must be below `channelCount`.
  public static func read(_ url: URL, channelCount: Int = SHDFile.channelCount) throws -> SpikeDataset {
    try readWithMetadata(url, channelCount: channelCount).dataset
  }

  /// Reads the file and also its root attributes and other `extra/` datasets.
  public static func readWithMetadata(_ url: URL, channelCount: Int = SHDFile.channelCount) throws
    -> (dataset: SpikeDataset, metadata: SHDMetadata)
  {
    let name = url.path
    do {
      return try HDF5Library.serialized {
        let file = try HDF5File.open(url)
        let reader = SHDReader(file: file, name: name, channelCount: channelCount)
        let dataset = try reader.dataset()
        let result = (dataset, try reader.metadata(sampleCount: dataset.count))
        try file.close()
        return result
      }
    } catch let error as HDF5Error {
      throw SHDFileError(error, file: name)
    }
  }
}

extension SHDFileError {
  /// The SHD-level meaning of an HDF5 failure while reading `file`.
  init(_ error: HDF5Error, file: String) {
    switch error {
    case .fileNotFound: self = .fileNotFound(file: file)
    case .notHDF5: self = .notHDF5(file: file)
    case .openFailed(_, let reason):
      self = reason.contains("truncated") ? .truncated(file: file, detail: reason) : .unreadable(file: file, detail: reason)
    case .missingObject(_, let path): self = .missingDataset(file: file, dataset: SHDFileError.trim(path))
    case .wrongObjectKind(_, let path, let expected):
      self = .wrongType(file: file, dataset: SHDFileError.trim(path), expected: "a \(expected)", found: "another kind of object")
    case .wrongType(_, let path, let expected, let found):
      self = .wrongType(file: file, dataset: SHDFileError.trim(path), expected: expected, found: found)
    case .wrongShape(_, let path, let expected, let found):
      self = .wrongShape(file: file, dataset: SHDFileError.trim(path), expected: expected, found: found)
    case .createFailed(_, let reason), .callFailed(_, _, _, let reason):
      let detail = error.description.replacingOccurrences(of: "\(file): ", with: "")
      self = reason.contains("truncated") || reason.contains("addr overflow")
        ? .truncated(file: file, detail: detail) : .unreadable(file: file, detail: detail)
    case .valueCountMismatch: self = .unreadable(file: file, detail: error.description)
    case .tooLarge, .unresolvedLink, .externalData, .corruptVariableLength: self = .unreadable(file: file, detail: error.problem)
    }
  }

  /// "/spikes/times" -> "spikes/times", as SHD's documentation names datasets.
  static func trim(_ path: String) -> String {
    path.hasPrefix("/") ? String(path.dropFirst()) : path
  }
}

/// One read of one file: checks the layout while decoding it. Every dataset's shape is checked
/// against what it must be before it is read, so a declared size allocates nothing.
private struct SHDReader {
  let file: HDF5File
  let name: String
  let channelCount: Int

  func dataset() throws -> SpikeDataset {
    let timesDataset = try file.openDataset("spikes/times")
    let sampleCount = try timesDataset.requireOneDimensional()
    let unitsDataset = try perSampleDataset("spikes/units", count: sampleCount)!
    let labels = try readPerSample("labels", count: sampleCount)!
    let speakers = try readPerSample("extra/speaker", count: sampleCount)
    let classNames = try readClassNames(labels: labels)
    let times = try timesDataset.readRaggedFloats()
    let units = try readUnits(unitsDataset)

    var samples: [SpikeSample] = []
    samples.reserveCapacity(times.count)
    for i in 0..<times.count {
      guard times[i].count == units[i].count else {
        throw SHDFileError.eventCountMismatch(file: name, sample: i, times: times[i].count, units: units[i].count)
      }
      if let bad = times[i].first(where: { !($0.isFinite && $0 >= 0) }) {
        throw SHDFileError.invalidTime(file: name, sample: i, time: bad)
      }
      guard (0..<classNames.count).contains(labels[i]) else {
        throw SHDFileError.labelOutOfRange(file: name, sample: i, label: labels[i], classCount: classNames.count)
      }
      samples.append(SpikeSample(times: times[i], units: units[i], label: labels[i], speaker: speakers?[i]))
    }
    return SpikeDataset(samples: samples, channelCount: channelCount, classNames: classNames)
  }

  /// `spikes/units`, range-checked. uint16 files (all real ones) are read directly; other
  /// integer widths are read wide so that out-of-range values are seen, not wrapped.
  private func readUnits(_ dataset: HDF5Dataset) throws -> [[UInt16]] {
    if dataset.typeInfo == .vlen(base: .integer(bytes: 2, signed: false)) {
      let rows = try dataset.readRagged(UInt16.self)
      for (i, row) in rows.enumerated() {
        if let bad = row.first(where: { Int($0) >= channelCount }) {
          throw SHDFileError.unitOutOfRange(file: name, sample: i, unit: Int(bad), channelCount: channelCount)
        }
      }
      return rows
    }
    let wide = try dataset.readRagged(Int.self)
    return try wide.enumerated().map { i, row in
      if let bad = row.first(where: { !(0..<channelCount).contains($0) }) {
        throw SHDFileError.unitOutOfRange(file: name, sample: i, unit: bad, channelCount: channelCount)
      }
      return row.map { UInt16($0) }
    }
  }

  /// The dataset at `path`, checked to be 1-D with one entry per sample (`count`) before anything
  /// is read; nil when it is optional and absent (`labels` and `spikes/units` are required:
  /// `openDataset` throws `missingDataset` for them).
  private func perSampleDataset(_ path: String, count: Int) throws -> HDF5Dataset? {
    if path.hasPrefix("extra/") && !file.contains(path) { return nil }
    let dataset = try file.openDataset(path)
    guard dataset.shape.count == 1 else {
      throw SHDFileError.wrongShape(file: name, dataset: path, expected: "1-D", found: dataset.shape)
    }
    guard dataset.shape[0] == count else {
      throw SHDFileError.lengthMismatch(file: name, dataset: path, expected: count, found: dataset.shape[0])
    }
    return dataset
  }

  /// A 1-D integer dataset with one entry per sample, each within `SHDFile.labelRange` (labels
  /// and speaker ids are uint16 in SHD, and what the tools and the wire take as ids); nil when
  /// optional and absent.
  private func readPerSample(_ path: String, count: Int) throws -> [Int]? {
    guard let dataset = try perSampleDataset(path, count: count) else { return nil }
    let values = try dataset.read(Int.self)
    if let i = values.firstIndex(where: { !SHDFile.labelRange.contains($0) }) {
      throw SHDFileError.valueTooLarge(file: name, dataset: path, sample: i, value: values[i])
    }
    return values
  }

  /// `extra/keys`, or "0", "1", ... up to the largest label when the file has no keys. Labels
  /// are uint16, so more than `SHDFile.labelRange.count` names could never be used.
  private func readClassNames(labels: [Int]) throws -> [String] {
    guard file.contains("extra/keys") else { return (0...max(0, labels.max() ?? 0)).map { String($0) } }
    let keys = try file.openDataset("extra/keys")
    let shape = keys.shape
    guard shape.count <= 1, (shape.first ?? 1) <= SHDFile.labelRange.count else {
      throw SHDFileError.wrongShape(
        file: name, dataset: "extra/keys", expected: "1-D with at most \(SHDFile.labelRange.count) class names", found: shape)
    }
    return try keys.readStrings()
  }

  func metadata(sampleCount: Int) throws -> SHDMetadata {
    var extra: [String: HDF5Array] = [:]
    if file.isGroup("extra") {
      var walk = ExtraWalk(limit: max(sampleCount, SHDFile.labelRange.count))
      try walk.collect(try file.openGroup("extra"), prefix: "", depth: 0, into: &extra)
    }
    return SHDMetadata(attributes: try file.attributes(), extra: extra)
  }
}

/// The walk of `extra/` that collects metadata columns: every 1-D number or string dataset,
/// except keys and speaker which the dataset itself carries. It visits each object once and
/// follows hard links only, to `maxDepth` groups, so a group linked into itself (hard or soft)
/// ends the walk instead of recursing for ever; other shapes and types, and columns longer than
/// `limit` (per sample or per speaker columns are far shorter), are skipped without reading.
private struct ExtraWalk {
  /// Groups below `extra/` followed at most (SHD's are one deep: `meta_info/`).
  static let maxDepth = 16
  let limit: Int
  var visited = Set<HDF5ObjectIdentity>()

  init(limit: Int) { self.limit = limit }

  mutating func collect(_ group: HDF5Group, prefix: String, depth: Int, into extra: inout [String: HDF5Array]) throws {
    guard depth <= Self.maxDepth, visited.insert(try group.identity()).inserted else { return }
    for child in try group.childNames() where group.isHardLink(child) {
      let path = prefix + child
      if group.isGroup(child) {
        try collect(try group.openGroup(child), prefix: path + "/", depth: depth + 1, into: &extra)
      } else if group.isDataset(child), path != "keys", path != "speaker" {
        guard let dataset = try? group.openDataset(child), dataset.shape.count == 1, dataset.shape[0] <= limit else { continue }
        if let values = try? dataset.readArray() { extra[path] = values }
      }
    }
  }
}
