import CHDF5
import Foundation

// String datasets and attributes. h5py writes numpy `S<n>` arrays as fixed-length null-padded
// strings and Python `str` values as variable-length UTF-8; both are read here. Writers use
// the fixed form for datasets (SHD's `extra/keys`) and the variable form for attributes.

enum HDF5StringIO {
  /// Decodes `count` strings read with `memoryType` (a copy of the stored string type) by
  /// `read`, which fills a buffer: one `char *` per string when variable-length, else
  /// `size` bytes per string. The caller has checked `count` with `bufferBytes(info:)`.
  static func read(
    count: Int, info: HDF5TypeInfo, memoryType: hid_t, space: hid_t,
    _ read: (UnsafeMutableRawPointer) -> herr_t
  ) -> [String]? {
    switch info {
    case .variableString:
      var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
      if count == 0 { return [] }
      defer { pointers.withUnsafeMutableBytes { _ = h5_reclaim(memoryType, space, $0.baseAddress) } }
      let status = pointers.withUnsafeMutableBytes { read($0.baseAddress!) }
      guard status >= 0 else { return nil }
      return pointers.map { $0.map { String(cString: $0) } ?? "" }
    case .fixedString(let size):
      var bytes = [UInt8](repeating: 0, count: max(1, count * size))
      if count == 0 { return [] }
      let status = bytes.withUnsafeMutableBytes { read($0.baseAddress!) }
      guard status >= 0 else { return nil }
      let pad = H5Tget_strpad(memoryType)
      return (0..<count).map { i in
        var slice = bytes[(i * size)..<((i + 1) * size)]
        if let end = slice.firstIndex(of: 0) { slice = slice[..<end] }
        if pad == H5T_STR_SPACEPAD {
          while let last = slice.last, last == 0x20 { slice = slice.dropLast() }
        }
        return String(decoding: slice, as: UTF8.self)
      }
    default:
      return nil
    }
  }

  /// Bytes of the read buffer per string of type `info` (the strings of variable-length ones
  /// are allocated by HDF5 as it reads them).
  static func bufferBytes(_ info: HDF5TypeInfo) -> Int {
    if case .fixedString(let size) = info { return max(size, 1) }
    return MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
  }

  /// Calls `body` with a C array of `char *` for `strings` (valid only inside `body`).
  static func withCStrings<R>(_ strings: [String], _ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeBytes { try body($0.baseAddress!) }
  }

  /// `strings` as fixed-length null-padded bytes of width `size` (the longest UTF-8 length).
  static func fixedBytes(_ strings: [String]) -> (bytes: [UInt8], size: Int) {
    let encoded = strings.map { Array($0.utf8) }
    let size = max(1, encoded.map(\.count).max() ?? 1)
    var bytes = [UInt8](repeating: 0, count: size * strings.count)
    for (i, string) in encoded.enumerated() {
      bytes.replaceSubrange((i * size)..<(i * size + string.count), with: string)
    }
    return (bytes, size)
  }
}

extension HDF5Dataset {
  /// Reads a 1-D (or scalar) string dataset, fixed-length or variable-length.
  public func readStrings() throws -> [String] {
    try HDF5Library.serialized {
      let info = typeInfo
      guard info.isString else {
        throw HDF5Error.wrongType(file: fileName, path: path, expected: "string", found: info.description)
      }
      let type = try fileType()
      let memoryType = try own(H5Tcopy(type.id), .datatype, "H5Tcopy")
      let space = try own(H5Dget_space(id), .dataspace, "H5Dget_space")
      let count = try checkedElementCount(elementBytes: HDF5StringIO.bufferBytes(info))
      // Variable-length strings are heap references like vlen rows, one byte per character.
      if case .variableString = info { try checkVlenHeapReferences(count: count, baseBytes: 1) }
      let strings = HDF5StringIO.read(
        count: count, info: info, memoryType: memoryType.id, space: space.id
      ) { buffer in
        H5Dread(id, memoryType.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer)
      }
      guard let strings else { throw failure("H5Dread (strings)") }
      return strings
    }
  }
}

extension HDF5Group {
  /// Writes `strings` as a 1-D fixed-length null-padded string dataset, width = the longest
  /// UTF-8 encoding (h5py reads it as numpy `S<n>` bytes, as in SHD's `extra/keys`).
  @discardableResult
  public func writeStrings(_ relativePath: String, _ strings: [String]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let (bytes, size) = HDF5StringIO.fixedBytes(strings)
      let type = HDF5Types.fixedString(bytes: size)
      let dataset = try createDataset(relativePath, type: type.id, shape: [strings.count])
      if strings.isEmpty { return dataset }
      try bytes.withUnsafeBytes { buffer in
        try check(
          H5Dwrite(dataset.id, type.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress),
          "H5Dwrite (strings)", child: relativePath)
      }
      return dataset
    }
  }

  /// Writes `strings` as a 1-D variable-length UTF-8 string dataset (h5py: `str` objects).
  @discardableResult
  public func writeVariableStrings(_ relativePath: String, _ strings: [String]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let type = HDF5Types.variableString()
      let dataset = try createDataset(relativePath, type: type.id, shape: [strings.count])
      if strings.isEmpty { return dataset }
      try HDF5StringIO.withCStrings(strings) { buffer in
        try check(
          H5Dwrite(dataset.id, type.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer),
          "H5Dwrite (strings)", child: relativePath)
      }
      return dataset
    }
  }
}
