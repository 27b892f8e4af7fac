import Foundation
import Learner

extension SHDFile {
  /// Writes `dataset` (and optional pass-through `metadata`) in the SHD layout, atomically:
  /// the file at `url` is replaced only once the new one is complete. Spike times are stored
  /// as float16 (rounded to nearest), so times are exact only to ~3 significant digits, as in
  /// SHD. Every sample needs a label; speakers are written when every sample has one.
  public static func write(_ dataset: SpikeDataset, to url: URL, metadata: SHDMetadata = SHDMetadata()) throws {
    let name = url.path
    let columns = try SHDColumns(dataset, file: name)
    do {
      try AtomicFile.write(to: url) { temporary in
        try HDF5Library.serialized {
          let file = try HDF5File.create(temporary)
          try columns.write(into: file, classNames: dataset.classNames, metadata: metadata)
          try file.close()
        }
      }
    } catch let error as HDF5Error {
      throw SHDFileError.writeFailed(file: name, detail: error.description)
    } catch let error as AtomicFileError {
      throw SHDFileError.writeFailed(file: name, detail: error.description)
    }
  }
}

/// A dataset validated and split into the columns SHD stores.
private struct SHDColumns {
  var times: [[Float]] = []
  var units: [[UInt16]] = []
  var labels: [UInt16] = []
  var speakers: [UInt16]?

  init(_ dataset: SpikeDataset, file: String) throws {
    let withSpeaker = dataset.samples.contains { $0.speaker != nil }
    if withSpeaker { speakers = [] }
    for (i, sample) in dataset.samples.enumerated() {
      guard let label = sample.label else { throw SHDFileError.unlabeledSample(file: file, sample: i) }
      guard SHDFile.labelRange.contains(label) else {
        throw SHDFileError.valueTooLarge(file: file, dataset: "labels", sample: i, value: label)
      }
      if let bad = sample.units.first(where: { Int($0) >= dataset.channelCount }) {
        throw SHDFileError.unitOutOfRange(file: file, sample: i, unit: Int(bad), channelCount: dataset.channelCount)
      }
      if let bad = sample.times.first(where: { !($0.isFinite && $0 >= 0) }) {
        throw SHDFileError.invalidTime(file: file, sample: i, time: bad)
      }
      if withSpeaker {
        guard let speaker = sample.speaker else { throw SHDFileError.missingSpeaker(file: file, sample: i) }
        guard SHDFile.labelRange.contains(speaker) else {
          throw SHDFileError.valueTooLarge(file: file, dataset: "extra/speaker", sample: i, value: speaker)
        }
        speakers!.append(UInt16(speaker))
      }
      times.append(sample.times)
      units.append(sample.units)
      labels.append(UInt16(label))
    }
  }

  func write(into file: HDF5File, classNames: [String], metadata: SHDMetadata) throws {
    try file.writeRaggedFloat16("spikes/times", times)
    try file.writeRagged("spikes/units", units)
    try file.write("labels", labels)
    try file.writeStrings("extra/keys", classNames)
    if let speakers { try file.write("extra/speaker", speakers) }
    for (path, values) in metadata.extra.sorted(by: { $0.key < $1.key })
    where path != "keys" && path != "speaker" {
      try file.write("extra/" + path, array: values)
    }
    for (key, value) in metadata.attributes.sorted(by: { $0.key < $1.key }) {
      try file.setAttribute(key, value)
    }
  }
}
