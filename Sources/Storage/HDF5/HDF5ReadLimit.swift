/// The most one read may allocate for a dataset's or attribute's elements. Readers check a
/// dataset's shape against what it must be first; this cap is the backstop for every read, so
/// a declared size alone (a 2^40-element dataset that was never written, a gzip bomb) is a
/// named error before any allocation, never an allocation failure or a SIGSEGV inside
/// `H5Dread`.
public enum HDF5ReadLimit {
  /// 1 GiB: real data sit far below (the largest fixed-size dataset of SHD is its 8,156 labels;
  /// its spikes are ragged rows, counted here by their 16-byte row descriptors, not their
  /// contents, so a row of 30 million spikes still loads); a network's largest weight matrix
  /// (`EngineLimits.weights` floats) fits exactly.
  public static let bytes = 1 << 30

  /// Throws `tooLarge` when `count` elements of `elementBytes` exceed `bytes`.
  static func check(count: Int, elementBytes: Int, file: String, path: String, shape: [Int]) throws {
    let (total, overflow) = count.multipliedReportingOverflow(by: max(elementBytes, 1))
    guard overflow || total > bytes else { return }
    throw HDF5Error.tooLarge(file: file, path: path, shape: shape, elementBytes: elementBytes, limit: bytes)
  }
}
