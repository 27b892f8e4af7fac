import CHDF5

/// The access property lists the wrapper opens and looks up objects with. They follow no
/// external link: a link into another file would open any path on the machine, and a FIFO
/// there blocks the reader for ever. Such a link reads as `HDF5Error.unresolvedLink`.
enum HDF5Access {
  /// For `H5Lexists`, `H5Oopen`, `H5Lget_info`.
  static let links = h5_access_without_external_links(h5_P_LINK_ACCESS())
  /// For `H5Dopen2`.
  static let datasets = h5_access_without_external_links(h5_P_DATASET_ACCESS())
  /// For `H5Gopen2`.
  static let groups = h5_access_without_external_links(h5_P_GROUP_ACCESS())
}
