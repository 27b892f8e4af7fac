import CHDF5

/// Base of every open HDF5 object (file, group, dataset): owns the identifier and knows the
/// file name and in-file path, so every error says where it happened.
public class HDF5Object {
  let handle: HDF5Handle
  /// The file's path on disk, for messages.
  public let fileName: String
  /// The object's absolute path inside the file ("/" for the root group).
  public let path: String

  init(handle: HDF5Handle, fileName: String, path: String) {
    self.handle = handle
    self.fileName = fileName
    self.path = path
  }

  var id: hid_t { handle.id }

  /// The absolute in-file path of `name` relative to this object.
  func childPath(_ name: String) -> String {
    path == "/" ? "/" + name : path + "/" + name
  }

  /// An error for a failed HDF5 call on this object (or on `child` below it), carrying
  /// HDF5's own message.
  func failure(_ operation: String, child: String? = nil) -> HDF5Error {
    .callFailed(
      file: fileName, path: child.map(childPath) ?? path, operation: operation,
      reason: HDF5Library.takeErrorMessage())
  }

  /// Throws `failure(operation)` when an HDF5 status is negative.
  func check(_ status: herr_t, _ operation: String, child: String? = nil) throws {
    if status < 0 { throw failure(operation, child: child) }
  }

  /// Wraps a freshly returned identifier, throwing when HDF5 returned a negative one.
  func own(_ id: hid_t, _ kind: HDF5Handle.Kind, _ operation: String, child: String? = nil) throws
    -> HDF5Handle
  {
    if id < 0 { throw failure(operation, child: child) }
    return HDF5Handle(id, kind)
  }
}
