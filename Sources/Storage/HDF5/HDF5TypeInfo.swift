import CHDF5

/// A decoded HDF5 datatype: what the reader needs to decide how (and whether) to read it.
public indirect enum HDF5TypeInfo: Equatable, CustomStringConvertible {
  /// An integer of `bytes` bytes, signed or not.
  case integer(bytes: Int, signed: Bool)
  /// An IEEE-style float of `bytes` bytes (2 = float16).
  case float(bytes: Int)
  /// A fixed-length string of `bytes` bytes.
  case fixedString(bytes: Int)
  /// A variable-length string.
  case variableString
  /// A variable-length sequence (ragged row) of `base`.
  case vlen(base: HDF5TypeInfo)
  /// Any other class (compound, enum, reference, ...), by HDF5 class number.
  case other(classCode: Int32)

  /// Decodes the datatype `type`.
  init(_ type: hid_t) {
    let cls = H5Tget_class(type)
    let size = H5Tget_size(type)
    switch cls {
    case H5T_INTEGER:
      self = .integer(bytes: size, signed: H5Tget_sign(type) != H5T_SGN_NONE)
    case H5T_FLOAT:
      self = .float(bytes: size)
    case H5T_STRING:
      self = H5Tis_variable_str(type) > 0 ? .variableString : .fixedString(bytes: size)
    case H5T_VLEN:
      let base = H5Tget_super(type)
      defer { H5Tclose(base) }
      self = .vlen(base: HDF5TypeInfo(base))
    default:
      self = .other(classCode: cls.rawValue)
    }
  }

  public var description: String {
    switch self {
    case .integer(let bytes, let signed): return "\(signed ? "int" : "uint")\(bytes * 8)"
    case .float(let bytes): return "float\(bytes * 8)"
    case .fixedString(let bytes): return "string(fixed \(bytes))"
    case .variableString: return "string(variable)"
    case .vlen(let base): return "vlen<\(base)>"
    case .other(let code): return "HDF5 class \(code)"
    }
  }

  var isInteger: Bool { if case .integer = self { return true } else { return false } }
  var isFloat: Bool { if case .float = self { return true } else { return false } }
  var isString: Bool {
    switch self {
    case .fixedString, .variableString: return true
    default: return false
    }
  }
}

/// Datatypes the library does not predefine.
enum HDF5Types {
  /// IEEE half precision, little-endian, built the way h5py builds its float16 so that h5py
  /// reads it as numpy `<f2`: sign bit 15, exponent bits 10-14 (bias 15), mantissa bits 0-9.
  static func float16() -> HDF5Handle {
    let t = H5Tcopy(h5_T_IEEE_F32LE())
    H5Tset_fields(t, 15, 10, 5, 0, 10)
    H5Tset_size(t, 2)
    H5Tset_ebias(t, 15)
    return HDF5Handle(t, .datatype)
  }

  /// A variable-length UTF-8 string, as h5py writes Python `str` values.
  static func variableString() -> HDF5Handle {
    let t = H5Tcopy(h5_T_C_S1())
    H5Tset_size(t, h5_T_VARIABLE())
    H5Tset_cset(t, H5T_CSET_UTF8)
    return HDF5Handle(t, .datatype)
  }

  /// A fixed-length null-padded string of `bytes` bytes, as h5py writes numpy `S<n>` arrays.
  static func fixedString(bytes: Int, utf8: Bool = false) -> HDF5Handle {
    let t = H5Tcopy(h5_T_C_S1())
    H5Tset_size(t, max(1, bytes))
    H5Tset_strpad(t, H5T_STR_NULLPAD)
    H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII)
    return HDF5Handle(t, .datatype)
  }

  /// A variable-length sequence of `base`.
  static func vlen(of base: hid_t) -> HDF5Handle {
    HDF5Handle(H5Tvlen_create(base), .datatype)
  }
}
