import CHDF5
import Learner

/// An open HDF5 dataset: its shape and datatype, and typed reads of its whole contents.
public final class HDF5Dataset: HDF5Object {
  /// The extent of each dimension (empty for a scalar dataset), as stored. A file may declare
  /// extents up to 2^64 - 1 whatever it holds: a chunked dataset never written costs nothing.
  var extent: [hsize_t] {
    HDF5Library.serialized {
      let space = H5Dget_space(id)
      guard space >= 0 else { return [] }
      defer { H5Sclose(space) }
      let rank = Int(H5Sget_simple_extent_ndims(space))
      guard rank > 0 else { return [] }
      var dims = [hsize_t](repeating: 0, count: rank)
      H5Sget_simple_extent_dims(space, &dims, nil)
      return dims
    }
  }

  /// The extent of each dimension (empty for a scalar dataset), for checks and messages; an
  /// extent beyond Int.max reads as Int.max (`elementCount` throws for it).
  public var shape: [Int] { extent.map { Int(clamping: $0) } }

  /// The number of elements (1 for a scalar); `wrongShape` when it does not fit Int (a declared
  /// extent of 2^63 or two of 2^32 would trap a plain product).
  public var elementCount: Int {
    get throws {
      var count = 1
      for dimension in extent {
        guard let d = Int(exactly: dimension) else { throw tooManyElements() }
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        if overflow { throw tooManyElements() }
        count = product
      }
      return count
    }
  }

  private func tooManyElements() -> HDF5Error {
    .wrongShape(file: fileName, path: path, expected: "at most \(Int.max) elements", found: shape)
  }

  /// The element count, once checked that `elementBytes` per element stay within
  /// `HDF5ReadLimit.bytes`; call before allocating a read buffer (a declared extent is not
  /// evidence of data: a tiny file can declare 2^40 elements, a gzip bomb gigabytes of zeros).
  func checkedElementCount(elementBytes: Int) throws -> Int {
    let count = try elementCount
    try HDF5ReadLimit.check(count: count, elementBytes: elementBytes, file: fileName, path: path, shape: shape)
    return count
  }

  /// The stored datatype, decoded.
  public var typeInfo: HDF5TypeInfo {
    HDF5Library.serialized {
      let type = H5Dget_type(id)
      guard type >= 0 else { return .other(classCode: -1) }
      defer { H5Tclose(type) }
      return HDF5TypeInfo(type)
    }
  }

  /// The stored datatype handle (caller-owned).
  func fileType() throws -> HDF5Handle {
    try own(H5Dget_type(id), .datatype, "H5Dget_type")
  }

  /// Throws `wrongType` unless the stored type is of `T`'s class (integer or float); within a
  /// class HDF5 converts (e.g. uint16 -> Int, float16 -> Float).
  func requireClass<T: HDF5Element>(of _: T.Type) throws {
    let info = typeInfo
    let matches = T.isFloatingPoint ? info.isFloat : info.isInteger
    guard matches else {
      throw HDF5Error.wrongType(
        file: fileName, path: path, expected: T.isFloatingPoint ? "a float type" : "an integer type",
        found: info.description)
    }
  }

  /// Reads every element (row-major for 2-D) as `T`.
  public func read<T: HDF5Element>(_: T.Type) throws -> [T] {
    try HDF5Library.serialized {
      try requireClass(of: T.self)
      let count = try checkedElementCount(elementBytes: MemoryLayout<T>.stride)
      var values = [T](repeating: T(), count: count)
      if count == 0 { return values }
      try values.withUnsafeMutableBytes { buffer in
        try check(
          H5Dread(id, T.nativeType, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress),
          "H5Dread")
      }
      return values
    }
  }

  /// Reads a 2-D float dataset as a matrix.
  public func readMatrix() throws -> Matrix {
    try HDF5Library.serialized {
      let dims = shape
      guard dims.count == 2 else {
        throw HDF5Error.wrongShape(file: fileName, path: path, expected: "2-D [rows, cols]", found: dims)
      }
      return Matrix(rows: dims[0], cols: dims[1], values: try read(Float.self))
    }
  }

  /// Throws `wrongShape` unless the dataset is 1-D; returns its length.
  @discardableResult
  public func requireOneDimensional() throws -> Int {
    let dims = shape
    guard dims.count == 1 else {
      throw HDF5Error.wrongShape(file: fileName, path: path, expected: "1-D", found: dims)
    }
    return dims[0]
  }
}
