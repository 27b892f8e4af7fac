import CHDF5

/// A Swift number type that maps to one HDF5 datatype: `nativeType` for memory buffers,
/// `fileType` (little-endian, as h5py writes) for new datasets and attributes.
public protocol HDF5Element {
  static var nativeType: hid_t { get }
  static var fileType: hid_t { get }
  /// Whether the HDF5 type class is floating point (else integer): reading checks that the
  /// file's class matches, so an integer dataset is never silently read as floats or back.
  static var isFloatingPoint: Bool { get }
  /// The name used in error messages, numpy style ("float32", "uint16").
  static var typeName: String { get }
  init()
}

extension Float: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_FLOAT() }
  public static var fileType: hid_t { h5_T_IEEE_F32LE() }
  public static var isFloatingPoint: Bool { true }
  public static var typeName: String { "float32" }
}

extension Double: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_DOUBLE() }
  public static var fileType: hid_t { h5_T_IEEE_F64LE() }
  public static var isFloatingPoint: Bool { true }
  public static var typeName: String { "float64" }
}

extension Int: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_INT64() }
  public static var fileType: hid_t { h5_T_STD_I64LE() }
  public static var isFloatingPoint: Bool { false }
  public static var typeName: String { "int64" }
}

extension Int64: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_INT64() }
  public static var fileType: hid_t { h5_T_STD_I64LE() }
  public static var isFloatingPoint: Bool { false }
  public static var typeName: String { "int64" }
}

extension Int32: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_INT32() }
  public static var fileType: hid_t { h5_T_STD_I32LE() }
  public static var isFloatingPoint: Bool { false }
  public static var typeName: String { "int32" }
}

extension UInt16: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_UINT16() }
  public static var fileType: hid_t { h5_T_STD_U16LE() }
  public static var isFloatingPoint: Bool { false }
  public static var typeName: String { "uint16" }
}

extension UInt8: HDF5Element {
  public static var nativeType: hid_t { h5_T_NATIVE_UINT8() }
  public static var fileType: hid_t { h5_T_STD_U8LE() }
  public static var isFloatingPoint: Bool { false }
  public static var typeName: String { "uint8" }
}
