/// Why an SHD-format file could not be read or written; every case names the file.
public enum SHDFileError: Error, Equatable, CustomStringConvertible {
  /// No file exists at the path.
  case fileNotFound(file: String)
  /// The file is not HDF5 at all (no HDF5 signature).
  case notHDF5(file: String)
  /// The file is shorter than its HDF5 superblock records (cut off while copied or written).
  case truncated(file: String, detail: String)
  /// HDF5 could not open the file or read a dataset; `detail` is HDF5's message.
  case unreadable(file: String, detail: String)
  /// A required dataset (`spikes/times`, `spikes/units`, `labels`) is absent.
  case missingDataset(file: String, dataset: String)
  /// A dataset has a datatype the SHD layout does not allow (e.g. float labels).
  case wrongType(file: String, dataset: String, expected: String, found: String)
  /// A dataset is not 1-D with one element per sample.
  case wrongShape(file: String, dataset: String, expected: String, found: [Int])
  /// A per-sample dataset has a different number of samples than `spikes/times`.
  case lengthMismatch(file: String, dataset: String, expected: Int, found: Int)
  /// A sample's times and units rows have different lengths.
  case eventCountMismatch(file: String, sample: Int, times: Int, units: Int)
  /// A unit id is not below the channel count (700 for SHD).
  case unitOutOfRange(file: String, sample: Int, unit: Int, channelCount: Int)
  /// A spike time is negative, infinite or NaN.
  case invalidTime(file: String, sample: Int, time: Float)
  /// A label is negative or has no class name in `extra/keys`.
  case labelOutOfRange(file: String, sample: Int, label: Int, classCount: Int)
  /// Writing: a sample has no label (SHD stores one for every sample).
  case unlabeledSample(file: String, sample: Int)
  /// Writing: some samples have a speaker id and this one has none.
  case missingSpeaker(file: String, sample: Int)
  /// A label or speaker id does not fit the uint16 SHD stores (writing, or reading a file that
  /// stores them wider).
  case valueTooLarge(file: String, dataset: String, sample: Int, value: Int)
  /// Writing failed (HDF5 or file-system message in `detail`).
  case writeFailed(file: String, detail: String)

  public var description: String {
    switch self {
    case .fileNotFound(let file):
      return "\(file): no such file"
    case .notHDF5(let file):
      return "\(file): not an HDF5 file (expected an SHD-format .h5 file)"
    case .truncated(let file, let detail):
      return "\(file): the file is truncated (\(detail))"
    case .unreadable(let file, let detail):
      return "\(file): cannot read the file (\(detail))"
    case .missingDataset(let file, let dataset):
      return "\(file): missing dataset '\(dataset)'"
    case .wrongType(let file, let dataset, let expected, let found):
      return "\(file): dataset '\(dataset)' has type \(found), expected \(expected)"
    case .wrongShape(let file, let dataset, let expected, let found):
      return "\(file): dataset '\(dataset)' has shape \(found), expected \(expected)"
    case .lengthMismatch(let file, let dataset, let expected, let found):
      return "\(file): dataset '\(dataset)' has \(found) entries, expected \(expected) (one per sample)"
    case .eventCountMismatch(let file, let sample, let times, let units):
      return "\(file): sample \(sample) has \(times) spike times but \(units) units"
    case .unitOutOfRange(let file, let sample, let unit, let channelCount):
      return "\(file): sample \(sample) has unit \(unit), but there are only \(channelCount) channels (0...\(channelCount - 1))"
    case .invalidTime(let file, let sample, let time):
      return "\(file): sample \(sample) has spike time \(time) (must be finite and >= 0)"
    case .labelOutOfRange(let file, let sample, let label, let classCount):
      return "\(file): sample \(sample) has label \(label), but there are \(classCount) classes"
    case .unlabeledSample(let file, let sample):
      return "\(file): sample \(sample) has no label; SHD files store a label for every sample"
    case .missingSpeaker(let file, let sample):
      return "\(file): sample \(sample) has no speaker while others do"
    case .valueTooLarge(let file, let dataset, let sample, let value):
      return "\(file): \(dataset) of sample \(sample) is \(value), which does not fit uint16"
    case .writeFailed(let file, let detail):
      return "\(file): cannot write the file (\(detail))"
    }
  }
}
