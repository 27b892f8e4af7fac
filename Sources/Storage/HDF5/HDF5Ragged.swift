import CHDF5

// Variable-length ("ragged") datasets: one row of any length per element, as SHD stores
// each sample's spike times and units. A whole dataset is read or written with one H5Dread /
// H5Dwrite call over an array of `hvl_t` {length, pointer} descriptors; a call per row would
// be hundreds of times slower.

extension HDF5Dataset {
  /// Reads a 1-D vlen dataset in one call with rows converted to `memoryBase`, hands the row
  /// descriptors to `body`, then frees HDF5's row buffers (also when `body` throws).
  func withVlenRows<R>(memoryBase: hid_t, _ body: (UnsafeBufferPointer<hvl_t>) throws -> R) throws -> R {
    try requireOneDimensional()
    // Only the descriptors are sized from the declared extent; HDF5 allocates each row as it
    // reads it, so rows cost what the file really holds.
    let count = try checkedElementCount(elementBytes: MemoryLayout<hvl_t>.stride)
    let memoryType = HDF5Types.vlen(of: memoryBase)
    var rows = [hvl_t](repeating: hvl_t(len: 0, p: nil), count: count)
    if count == 0 { return try rows.withUnsafeBufferPointer(body) }
    // A corrupted heap reference makes H5Dread crash rather than fail: checked on disk first.
    try checkVlenHeapReferences(count: count, baseBytes: try vlenBaseBytes())
    let space = try own(H5Dget_space(id), .dataspace, "H5Dget_space")
    // Rows HDF5 did not fill stay {0, nil}, so reclaiming after a failed read is safe.
    defer { rows.withUnsafeMutableBytes { _ = h5_reclaim(memoryType.id, space.id, $0.baseAddress) } }
    try rows.withUnsafeMutableBytes { buffer in
      try check(
        H5Dread(id, memoryType.id, space.id, space.id, h5_P_DEFAULT(), buffer.baseAddress),
        "H5Dread (variable-length)")
    }
    return try rows.withUnsafeBufferPointer(body)
  }

  /// Bytes of one value of the stored vlen type's base type (as stored, before conversion).
  func vlenBaseBytes() throws -> Int {
    let type = try fileType()
    let base = try own(H5Tget_super(type.id), .datatype, "H5Tget_super")
    let size = H5Tget_size(base.id)
    guard size > 0 else { throw failure("H5Tget_size") }
    return size
  }

  /// The base type of a vlen dataset, or `wrongType` naming `expected`.
  func vlenBase(expected: String) throws -> HDF5TypeInfo {
    let info = typeInfo
    guard case .vlen(let base) = info else {
      throw HDF5Error.wrongType(file: fileName, path: path, expected: expected, found: info.description)
    }
    return base
  }

  /// Reads a 1-D vlen dataset of integers or floats (matching `T`'s class) as rows of `T`.
  public func readRagged<T: HDF5Element>(_: T.Type) throws -> [[T]] {
    try HDF5Library.serialized {
      let expected = "vlen<\(T.isFloatingPoint ? "float" : "integer")>"
      let base = try vlenBase(expected: expected)
      guard T.isFloatingPoint ? base.isFloat : base.isInteger else {
        throw HDF5Error.wrongType(file: fileName, path: path, expected: expected, found: typeInfo.description)
      }
      return try withVlenRows(memoryBase: T.nativeType) { rows in
        rows.map { row in
          Array(UnsafeBufferPointer(start: row.p?.assumingMemoryBound(to: T.self), count: row.len))
        }
      }
    }
  }

  /// Reads a 1-D vlen dataset of floats of any width as rows of Float. float16 rows are read
  /// as raw bits and decoded by table (faster than HDF5's soft conversion).
  public func readRaggedFloats() throws -> [[Float]] {
    try HDF5Library.serialized {
      let base = try vlenBase(expected: "vlen<float>")
      guard base.isFloat else {
        throw HDF5Error.wrongType(file: fileName, path: path, expected: "vlen<float>", found: typeInfo.description)
      }
      guard base == .float(bytes: 2) else { return try readRagged(Float.self) }
      let half = HDF5Types.float16()
      return try Float16Bits.table.withUnsafeBufferPointer { table in
        try withVlenRows(memoryBase: half.id) { rows in
          rows.map { row in
            guard let bits = row.p?.assumingMemoryBound(to: UInt16.self) else { return [] }
            return [Float](unsafeUninitializedCapacity: row.len) { out, initialized in
              for i in 0..<row.len { out[i] = table[Int(bits[i])] }
              initialized = row.len
            }
          }
        }
      }
    }
  }
}

extension HDF5Group {
  /// Writes rows of `T` as a 1-D vlen dataset (one H5Dwrite).
  @discardableResult
  public func writeRagged<T: HDF5Element>(_ relativePath: String, _ rows: [[T]]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let fileType = HDF5Types.vlen(of: T.fileType)
      let memoryType = HDF5Types.vlen(of: T.nativeType)
      var flat: [T] = []
      flat.reserveCapacity(rows.reduce(0) { $0 + $1.count })
      for row in rows { flat.append(contentsOf: row) }
      return try writeVlen(relativePath, fileType: fileType, memoryType: memoryType, flat: flat, lengths: rows.map(\.count))
    }
  }

  /// Writes rows of Float as a 1-D vlen dataset of float16 (numpy `<f2`, SHD's spike times),
  /// rounding each value to the nearest half.
  @discardableResult
  public func writeRaggedFloat16(_ relativePath: String, _ rows: [[Float]]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let half = HDF5Types.float16()
      let type = HDF5Types.vlen(of: half.id)
      let total = rows.reduce(0) { $0 + $1.count }
      let bits = [UInt16](unsafeUninitializedCapacity: total) { out, initialized in
        var k = 0
        for row in rows {
          row.withUnsafeBufferPointer { values in
            for value in values {
              out[k] = Float16Bits.encode(value)
              k &+= 1
            }
          }
        }
        initialized = total
      }
      return try writeVlen(relativePath, fileType: type, memoryType: type, flat: bits, lengths: rows.map(\.count))
    }
  }

  /// Writes the rows stored back to back in `flat` (row `i` has `lengths[i]` values).
  private func writeVlen<T>(
    _ relativePath: String, fileType: HDF5Handle, memoryType: HDF5Handle, flat: [T], lengths: [Int]
  ) throws -> HDF5Dataset {
    let dataset = try createDataset(relativePath, type: fileType.id, shape: [lengths.count])
    if lengths.isEmpty { return dataset }
    try flat.withUnsafeBufferPointer { values in
      var descriptors: [hvl_t] = []
      descriptors.reserveCapacity(lengths.count)
      var offset = 0
      for length in lengths {
        let start = values.baseAddress.map { UnsafeMutableRawPointer(mutating: $0 + offset) }
        descriptors.append(hvl_t(len: length, p: length == 0 ? nil : start))
        offset += length
      }
      try descriptors.withUnsafeBytes { buffer in
        try check(
          H5Dwrite(dataset.id, memoryType.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress),
          "H5Dwrite (variable-length)", child: relativePath)
      }
    }
    return dataset
  }
}
