import Learner
import CHDF5

/// An HDF5 group: opens and creates child groups and datasets by relative path
/// ("spikes/times"), lists its children, and writes datasets.
public class HDF5Group: HDF5Object {
  /// Whether an object exists at `relativePath` (every intermediate group is checked, since
  /// HDF5 fails rather than answers "no" when a parent is missing).
  public func contains(_ relativePath: String) -> Bool {
    HDF5Library.serialized {
      var prefix = ""
      for component in relativePath.split(separator: "/") {
        prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
        if H5Lexists(id, prefix, HDF5Access.links) <= 0 {
          _ = HDF5Library.takeErrorMessage()
          return false
        }
      }
      return !prefix.isEmpty
    }
  }

  /// The names of the direct children (groups, datasets, other links), in name order.
  public func childNames() throws -> [String] {
    try HDF5Library.serialized {
      var info = H5G_info_t()
      try check(H5Gget_info(id, &info), "H5Gget_info")
      var names: [String] = []
      for index in 0..<info.nlinks {
        let length = H5Lget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, h5_P_DEFAULT())
        if length < 0 { throw failure("H5Lget_name_by_idx") }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        _ = H5Lget_name_by_idx(
          id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, h5_P_DEFAULT())
        names.append(String(cString: buffer))
      }
      return names
    }
  }

  /// Whether the object at `relativePath` is a group (false when missing or a dataset).
  public func isGroup(_ relativePath: String) -> Bool { objectType(relativePath) == H5I_GROUP }

  /// Whether the object at `relativePath` is a dataset (false when missing or a group).
  public func isDataset(_ relativePath: String) -> Bool { objectType(relativePath) == H5I_DATASET }

  private func objectType(_ relativePath: String) -> H5I_type_t? {
    HDF5Library.serialized {
      guard contains(relativePath) else { return nil }
      let object = H5Oopen(id, relativePath, HDF5Access.links)
      guard object >= 0 else {
        _ = HDF5Library.takeErrorMessage()
        return nil
      }
      defer { H5Oclose(object) }
      return H5Iget_type(object)
    }
  }

  /// Opens the group at `relativePath`.
  public func openGroup(_ relativePath: String) throws -> HDF5Group {
    try HDF5Library.serialized {
      guard contains(relativePath) else {
        throw HDF5Error.missingObject(file: fileName, path: childPath(relativePath))
      }
      guard isGroup(relativePath) else { throw notA("group", relativePath) }
      let handle = try own(H5Gopen2(id, relativePath, HDF5Access.groups), .group, "H5Gopen", child: relativePath)
      return HDF5Group(handle: handle, fileName: fileName, path: childPath(relativePath))
    }
  }

  /// Opens the group at `relativePath`, creating it (and missing parents) if needed.
  @discardableResult
  public func createGroup(_ relativePath: String) throws -> HDF5Group {
    try HDF5Library.serialized {
      if contains(relativePath) { return try openGroup(relativePath) }
      let linkList = try own(H5Pcreate(h5_P_LINK_CREATE()), .propertyList, "H5Pcreate")
      try check(H5Pset_create_intermediate_group(linkList.id, 1), "H5Pset_create_intermediate_group")
      let handle = try own(
        H5Gcreate2(id, relativePath, linkList.id, h5_P_DEFAULT(), h5_P_DEFAULT()), .group,
        "H5Gcreate", child: relativePath)
      return HDF5Group(handle: handle, fileName: fileName, path: childPath(relativePath))
    }
  }

  /// Opens the dataset at `relativePath`.
  public func openDataset(_ relativePath: String) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      guard contains(relativePath) else {
        throw HDF5Error.missingObject(file: fileName, path: childPath(relativePath))
      }
      guard isDataset(relativePath) else { throw notA("dataset", relativePath) }
      let handle = try own(H5Dopen2(id, relativePath, HDF5Access.datasets), .dataset, "H5Dopen", child: relativePath)
      let dataset = HDF5Dataset(handle: handle, fileName: fileName, path: childPath(relativePath))
      let elsewhere = h5_dataset_data_is_elsewhere(handle.id)
      if elsewhere < 0 { throw failure("H5Dget_create_plist", child: relativePath) }
      if elsewhere > 0 { throw HDF5Error.externalData(file: fileName, path: childPath(relativePath)) }
      return dataset
    }
  }

  /// Why the existing link `relativePath` is not a `kind`: a link that leads nowhere readable
  /// (told apart, since "not a dataset" would puzzle whoever wrote the link), else the other
  /// kind of object.
  private func notA(_ kind: String, _ relativePath: String) -> HDF5Error {
    let path = childPath(relativePath)
    if objectType(relativePath) == nil {
      let type = h5_link_type(id, relativePath, HDF5Access.links)
      if type < 0 { _ = HDF5Library.takeErrorMessage() }
      switch type {
      case H5L_TYPE_HARD.rawValue: break
      case H5L_TYPE_EXTERNAL.rawValue:
        return .unresolvedLink(file: fileName, path: path, link: "an external link into another file (not followed)")
      case H5L_TYPE_SOFT.rawValue:
        return .unresolvedLink(file: fileName, path: path, link: "a soft link that leads to no object (dangling or cyclic)")
      default:
        return .unresolvedLink(file: fileName, path: path, link: "a link that cannot be followed")
      }
    }
    return .wrongObjectKind(file: fileName, path: path, expected: kind)
  }

  /// Creates an empty dataset of file type `type` and `shape` (a scalar when `shape` is empty),
  /// making parent groups as needed. Replaces nothing: an existing name is an error.
  func createDataset(_ relativePath: String, type: hid_t, shape: [Int]) throws -> HDF5Dataset {
    let dims = shape.map { hsize_t($0) }
    let space = try own(
      dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil),
      .dataspace, "H5Screate", child: relativePath)
    let linkList = try own(H5Pcreate(h5_P_LINK_CREATE()), .propertyList, "H5Pcreate")
    try check(H5Pset_create_intermediate_group(linkList.id, 1), "H5Pset_create_intermediate_group")
    let handle = try own(
      H5Dcreate2(id, relativePath, type, space.id, linkList.id, h5_P_DEFAULT(), h5_P_DEFAULT()),
      .dataset, "H5Dcreate", child: relativePath)
    return HDF5Dataset(handle: handle, fileName: fileName, path: childPath(relativePath))
  }

  /// Writes `values` as a new dataset of `T`'s little-endian file type. `shape` defaults to
  /// 1-D; a 2-D shape stores row-major values (numpy's C order).
  @discardableResult
  public func write<T: HDF5Element>(_ relativePath: String, _ values: [T], shape: [Int]? = nil) throws
    -> HDF5Dataset
  {
    try HDF5Library.serialized {
      let shape = shape ?? [values.count]
      guard shape.reduce(1, *) == values.count else {
        throw HDF5Error.valueCountMismatch(
          file: fileName, path: childPath(relativePath), shape: shape, count: values.count)
      }
      let dataset = try createDataset(relativePath, type: T.fileType, shape: shape)
      if values.isEmpty { return dataset }
      try values.withUnsafeBytes { buffer in
        try dataset.check(
          H5Dwrite(dataset.id, T.nativeType, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress),
          "H5Dwrite")
      }
      return dataset
    }
  }

  /// Writes a matrix as a 2-D float32 dataset `[rows, cols]`.
  @discardableResult
  public func write(_ relativePath: String, matrix: Matrix) throws -> HDF5Dataset {
    try write(relativePath, matrix.values, shape: [matrix.rows, matrix.cols])
  }
}
