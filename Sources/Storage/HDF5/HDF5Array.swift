/// A 1-D dataset's contents with its element type kept, so metadata columns (SHD's
/// `extra/meta_info/*`, `extra/text`) can be read and written back without knowing them.
public enum HDF5Array: Equatable, Sendable {
  case uint8([UInt8])
  case uint16([UInt16])
  case int32([Int32])
  case int64([Int])
  case float32([Float])
  case float64([Double])
  /// Fixed-length byte strings (numpy `S<n>`), decoded as UTF-8.
  case strings([String])

  /// The number of elements.
  public var count: Int {
    switch self {
    case .uint8(let v): return v.count
    case .uint16(let v): return v.count
    case .int32(let v): return v.count
    case .int64(let v): return v.count
    case .float32(let v): return v.count
    case .float64(let v): return v.count
    case .strings(let v): return v.count
    }
  }

  /// The values as integers, for any integer case.
  public var intValues: [Int]? {
    switch self {
    case .uint8(let v): return v.map(Int.init)
    case .uint16(let v): return v.map(Int.init)
    case .int32(let v): return v.map(Int.init)
    case .int64(let v): return v
    default: return nil
    }
  }
}

extension HDF5Dataset {
  /// Reads a 1-D dataset into the `HDF5Array` case nearest its stored type (a narrower signed
  /// integer widens to int32, uint32/int64/uint64 to int64, float16 to float32).
  public func readArray() throws -> HDF5Array {
    try HDF5Library.serialized {
      try requireOneDimensional()
      switch typeInfo {
      case .integer(1, false): return .uint8(try read(UInt8.self))
      case .integer(2, false): return .uint16(try read(UInt16.self))
      case .integer(let bytes, true) where bytes <= 4: return .int32(try read(Int32.self))
      case .integer: return .int64(try read(Int.self))
      case .float(let bytes) where bytes <= 4: return .float32(try read(Float.self))
      case .float: return .float64(try read(Double.self))
      case .fixedString, .variableString: return .strings(try readStrings())
      case let other:
        throw HDF5Error.wrongType(
          file: fileName, path: path, expected: "numbers or strings", found: other.description)
      }
    }
  }
}

extension HDF5Group {
  /// Writes `array` as a 1-D dataset of its element type (strings fixed-length).
  @discardableResult
  public func write(_ relativePath: String, array: HDF5Array) throws -> HDF5Dataset {
    switch array {
    case .uint8(let v): return try write(relativePath, v)
    case .uint16(let v): return try write(relativePath, v)
    case .int32(let v): return try write(relativePath, v)
    case .int64(let v): return try write(relativePath, v)
    case .float32(let v): return try write(relativePath, v)
    case .float64(let v): return try write(relativePath, v)
    case .strings(let v): return try writeStrings(relativePath, v)
    }
  }
}
