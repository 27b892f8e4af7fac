import CHDF5

/// Which object in which open file an `HDF5Object` is, whatever path reached it: hard links
/// can give one group many paths, and a walk that follows them must visit each object once
/// (a group linked into itself would otherwise be walked for ever).
public struct HDF5ObjectIdentity: Hashable, Sendable {
  let file: UInt
  let key0: UInt64
  let key1: UInt64
}

extension HDF5Object {
  /// The object's identity, or `callFailed` when HDF5 cannot tell it.
  public func identity() throws -> HDF5ObjectIdentity {
    try HDF5Library.serialized {
      var file: UInt = 0
      var key: (UInt64, UInt64) = (0, 0)
      let status = withUnsafeMutableBytes(of: &key) { raw in
        h5_object_identity(id, &file, raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
      }
      try check(status, "H5Oget_info")
      return HDF5ObjectIdentity(file: file, key0: key.0, key1: key.1)
    }
  }
}

extension HDF5Group {
  /// Whether `name` (a direct child) is a hard link: false for soft and external links, which
  /// a walk of the file does not follow (they can point anywhere, themselves included).
  public func isHardLink(_ name: String) -> Bool {
    HDF5Library.serialized {
      let type = h5_link_type(id, name, HDF5Access.links)
      if type < 0 { _ = HDF5Library.takeErrorMessage() }
      return type == H5L_TYPE_HARD.rawValue
    }
  }
}
