import CHDF5

/// Owns one HDF5 identifier and closes it exactly once when the owner goes away, so no
/// code path (including thrown errors) leaks a handle.
final class HDF5Handle {
  /// What kind of identifier this is, which decides the close call.
  enum Kind { case file, group, dataset, dataspace, datatype, attribute, propertyList, object }

  let id: hid_t
  let kind: Kind
  private var isOpen = true

  init(_ id: hid_t, _ kind: Kind) {
    self.id = id
    self.kind = kind
  }

  /// Closes now; returns HDF5's status (negative on failure). Later calls do nothing.
  @discardableResult
  func close() -> herr_t {
    guard isOpen else { return 0 }
    isOpen = false
    switch kind {
    case .file: return H5Fclose(id)
    case .group: return H5Gclose(id)
    case .dataset: return H5Dclose(id)
    case .dataspace: return H5Sclose(id)
    case .datatype: return H5Tclose(id)
    case .attribute: return H5Aclose(id)
    case .propertyList: return H5Pclose(id)
    case .object: return H5Oclose(id)
    }
  }

  // Under the library lock: a handle can be released on any thread, after the operation that
  // opened it has returned.
  deinit { HDF5Library.serialized { _ = close() } }
}
