import CHDF5
import Foundation

/// An open HDF5 file; it is also its own root group ("/"), so datasets, groups and root
/// attributes are reached through the `HDF5Group` API.
public final class HDF5File: HDF5Group {
  /// Whether the file was opened or created for writing.
  public let isWritable: Bool

  init(handle: HDF5Handle, fileName: String, writable: Bool) {
    isWritable = writable
    super.init(handle: handle, fileName: fileName, path: "/")
  }

  /// Opens an existing file, read-only unless `writable`.
  ///
  /// Distinguishes a missing file, a file that is not HDF5 at all, and an HDF5 file the library
  /// cannot open (e.g. truncated), so callers can report each precisely.
  public static func open(_ url: URL, writable: Bool = false) throws -> HDF5File {
    try HDF5Library.serialized {
      let name = url.path
      // stat follows symlinks. Only a regular file is opened: HDF5 would block for ever reading
      // a FIFO nobody writes to (a node's I/O thread, in a control LoadCheckpoint).
      var info = stat()
      guard stat(name, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { throw HDF5Error.fileNotFound(file: name) }
      guard info.st_mode & S_IFMT == S_IFREG else {
        throw HDF5Error.openFailed(file: name, reason: "not a regular file (a FIFO, socket or device)")
      }
      guard H5Fis_hdf5(name) > 0 else {
        _ = HDF5Library.takeErrorMessage()
        throw HDF5Error.notHDF5(file: name)
      }
      let flags = writable ? h5_F_ACC_RDWR() : h5_F_ACC_RDONLY()
      let id = H5Fopen(name, flags, h5_P_DEFAULT())
      guard id >= 0 else {
        throw HDF5Error.openFailed(file: name, reason: HDF5Library.takeErrorMessage())
      }
      return HDF5File(handle: HDF5Handle(id, .file), fileName: name, writable: writable)
    }
  }

  /// The root `format` attribute of the file at `url` (nil when absent): what kind of r4ncl
  /// file it is, read before choosing a reader.
  public static func formatAttribute(of url: URL) throws -> String? {
    try HDF5Library.serialized {
      let file = try open(url)
      defer { try? file.close() }
      return try file.attribute("format")?.stringValue
    }
  }

  /// Creates a new file at `url`, replacing any file there.
  public static func create(_ url: URL) throws -> HDF5File {
    try HDF5Library.serialized {
      let name = url.path
      let id = H5Fcreate(name, h5_F_ACC_TRUNC(), h5_P_DEFAULT(), h5_P_DEFAULT())
      guard id >= 0 else {
        throw HDF5Error.createFailed(file: name, reason: HDF5Library.takeErrorMessage())
      }
      return HDF5File(handle: HDF5Handle(id, .file), fileName: name, writable: true)
    }
  }

  /// Writes every buffered change to the operating system.
  public func flush() throws {
    try HDF5Library.serialized {
      try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush")
    }
  }

  /// Flushes and closes the file now (rather than when the last reference goes away).
  /// Objects still open inside the file keep it open until they are released.
  public func close() throws {
    try HDF5Library.serialized {
      if isWritable { try check(H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush") }
      try check(handle.close(), "H5Fclose")
    }
  }
}
