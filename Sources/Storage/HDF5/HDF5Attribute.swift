import CHDF5

/// The value of an HDF5 attribute: a scalar or a 1-D array of strings, integers or doubles.
/// Strings are written as variable-length UTF-8 (h5py's `str`), numbers as little-endian
/// int64 / float64; any integer or float width is accepted on reading.
public enum HDF5Attribute: Equatable, Sendable, CustomStringConvertible {
  case string(String)
  case int(Int)
  case double(Double)
  case strings([String])
  case ints([Int])
  case doubles([Double])

  /// The string, when this is a string scalar.
  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  /// The integer, when this is an integer scalar.
  public var intValue: Int? { if case .int(let v) = self { return v } else { return nil } }
  /// The number, when this is a numeric scalar (integers convert).
  public var doubleValue: Double? {
    switch self {
    case .double(let v): return v
    case .int(let v): return Double(v)
    default: return nil
    }
  }
  /// The numbers, when this is a numeric array or scalar (integers convert).
  public var doublesValue: [Double]? {
    switch self {
    case .doubles(let v): return v
    case .ints(let v): return v.map(Double.init)
    case .double, .int: return doubleValue.map { [$0] }
    default: return nil
    }
  }
  /// The integers, when this is an integer array or scalar.
  public var intsValue: [Int]? {
    switch self {
    case .ints(let v): return v
    case .int(let v): return [v]
    default: return nil
    }
  }
  /// The strings, when this is a string array or scalar.
  public var stringsValue: [String]? {
    switch self {
    case .strings(let v): return v
    case .string(let v): return [v]
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .string(let v): return v.debugDescription
    case .int(let v): return "\(v)"
    case .double(let v): return "\(v)"
    case .strings(let v): return "\(v)"
    case .ints(let v): return "\(v)"
    case .doubles(let v): return "\(v)"
    }
  }
}

extension HDF5Object {
  /// Whether the object has an attribute `name`.
  public func hasAttribute(_ name: String) -> Bool {
    HDF5Library.serialized {
      let status = H5Aexists(id, name)
      if status < 0 { _ = HDF5Library.takeErrorMessage() }
      return status > 0
    }
  }

  /// The names of all attributes, in name order.
  public func attributeNames() throws -> [String] {
    try HDF5Library.serialized {
      final class Names { var list: [String] = [] }
      let names = Names()
      var index: hsize_t = 0
      let status = withExtendedLifetime(names) {
        H5Aiterate2(
          id, H5_INDEX_NAME, H5_ITER_INC, &index,
          { _, name, _, context in
            let names = Unmanaged<Names>.fromOpaque(context!).takeUnretainedValue()
            names.list.append(String(cString: name!))
            return 0
          }, Unmanaged.passUnretained(names).toOpaque())
      }
      try check(status, "H5Aiterate2")
      return names.list
    }
  }

  /// Every attribute of a type `HDF5Attribute` holds, by name. Others (h5py writes a Python
  /// bool as an enum, a tuple as a compound) are skipped: readers take the attributes they
  /// know by name, so an unrelated attribute must not make a file unreadable.
  public func attributes() throws -> [String: HDF5Attribute] {
    var result: [String: HDF5Attribute] = [:]
    for name in try attributeNames() {
      do { result[name] = try attribute(name) } catch HDF5Error.wrongType { continue }
    }
    return result
  }

  /// The attribute `name`, or nil when there is none.
  public func attribute(_ name: String) throws -> HDF5Attribute? {
    try HDF5Library.serialized {
      guard hasAttribute(name) else { return nil }
      let where_ = "\(path)@\(name)"
      let attribute = try own(H5Aopen(id, name, h5_P_DEFAULT()), .attribute, "H5Aopen @\(name)")
      let type = try own(H5Aget_type(attribute.id), .datatype, "H5Aget_type @\(name)")
      let space = try own(H5Aget_space(attribute.id), .dataspace, "H5Aget_space @\(name)")
      let isScalar = H5Sget_simple_extent_ndims(space.id) == 0
      let count = Int(H5Sget_simple_extent_npoints(space.id))
      if count < 0 { throw failure("H5Sget_simple_extent_npoints @\(name)") }
      let info = HDF5TypeInfo(type.id)
      let elementBytes = info.isString ? HDF5StringIO.bufferBytes(info) : 8
      try HDF5ReadLimit.check(count: count, elementBytes: elementBytes, file: fileName, path: where_, shape: [count])
      switch info {
      case .fixedString, .variableString:
        let memoryType = try own(H5Tcopy(type.id), .datatype, "H5Tcopy")
        let strings = HDF5StringIO.read(count: count, info: info, memoryType: memoryType.id, space: space.id) {
          H5Aread(attribute.id, memoryType.id, $0)
        }
        guard let strings else { throw failure("H5Aread @\(name)") }
        return isScalar ? .string(strings.first ?? "") : .strings(strings)
      case .integer:
        var values = [Int](repeating: 0, count: count)
        if count > 0 {
          try check(values.withUnsafeMutableBytes { H5Aread(attribute.id, h5_T_NATIVE_INT64(), $0.baseAddress) }, "H5Aread @\(name)")
        }
        return isScalar ? .int(values.first ?? 0) : .ints(values)
      case .float:
        var values = [Double](repeating: 0, count: count)
        if count > 0 {
          try check(values.withUnsafeMutableBytes { H5Aread(attribute.id, h5_T_NATIVE_DOUBLE(), $0.baseAddress) }, "H5Aread @\(name)")
        }
        return isScalar ? .double(values.first ?? 0) : .doubles(values)
      default:
        throw HDF5Error.wrongType(
          file: fileName, path: where_, expected: "string, integer or float attribute", found: info.description)
      }
    }
  }

  /// Sets attribute `name` to `value`, replacing any existing attribute of that name.
  public func setAttribute(_ name: String, _ value: HDF5Attribute) throws {
    try HDF5Library.serialized {
      if hasAttribute(name) { try check(H5Adelete(id, name), "H5Adelete @\(name)") }
      switch value {
      case .string(let s):
        try writeAttribute(name, type: HDF5Types.variableString(), shape: nil) { attribute, type in
          HDF5StringIO.withCStrings([s]) { H5Awrite(attribute, type, $0) }
        }
      case .strings(let list):
        try writeAttribute(name, type: HDF5Types.variableString(), shape: list.count) { attribute, type in
          HDF5StringIO.withCStrings(list) { H5Awrite(attribute, type, $0) }
        }
      case .int(let v):
        try writeNumbers(name, [v], scalar: true)
      case .ints(let list):
        try writeNumbers(name, list, scalar: false)
      case .double(let v):
        try writeNumbers(name, [v], scalar: true)
      case .doubles(let list):
        try writeNumbers(name, list, scalar: false)
      }
    }
  }

  private func writeNumbers<T: HDF5Element>(_ name: String, _ values: [T], scalar: Bool) throws {
    let fileType = HDF5Handle(H5Tcopy(T.fileType), .datatype)
    try writeAttribute(name, type: fileType, shape: scalar ? nil : values.count) { attribute, _ in
      values.withUnsafeBytes { H5Awrite(attribute, T.nativeType, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
    }
  }

  /// Creates attribute `name` of `type` (scalar when `shape` is nil, else 1-D) and fills it
  /// with `write(attribute, memoryType)`.
  private func writeAttribute(
    _ name: String, type: HDF5Handle, shape: Int?, _ write: (hid_t, hid_t) throws -> herr_t
  ) throws {
    var dims = [hsize_t(shape ?? 0)]
    let space = try own(
      shape == nil ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil), .dataspace, "H5Screate @\(name)")
    let attribute = try own(
      H5Acreate2(id, name, type.id, space.id, h5_P_DEFAULT(), h5_P_DEFAULT()), .attribute, "H5Acreate @\(name)")
    if shape == 0 { return }
    try check(try write(attribute.id, type.id), "H5Awrite @\(name)")
  }
}
