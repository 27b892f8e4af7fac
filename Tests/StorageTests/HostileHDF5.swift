import CHDF5
import Foundation

@testable import Storage

/// Writes what the project's writers never write but a hostile file can hold, with raw
/// libhdf5 calls on files the wrapper created: datasets that declare any extent (chunked and
/// never written, so the file stays tiny), soft, hard and external links, data kept outside the
/// file, attributes of types the reader does not know.
enum HostileHDF5 {
  /// A chunked dataset of `type` declaring `shape`, no chunk written.
  static func declare(_ group: HDF5Group, _ path: String, type: hid_t, shape: [UInt64], chunk: [UInt64]? = nil) throws {
    let space = H5Screate_simple(Int32(shape.count), shape, nil)
    defer { H5Sclose(space) }
    let dcpl = H5Pcreate(h5_P_DATASET_CREATE())
    defer { H5Pclose(dcpl) }
    let chunk = chunk ?? shape.map { Swift.min($0, 4096) }
    H5Pset_chunk(dcpl, Int32(chunk.count), chunk)
    let lcpl = H5Pcreate(h5_P_LINK_CREATE())
    defer { H5Pclose(lcpl) }
    H5Pset_create_intermediate_group(lcpl, 1)
    let dataset = H5Dcreate2(group.id, path, type, space, lcpl, dcpl, h5_P_DEFAULT())
    guard dataset >= 0 else { throw HDF5Error.createFailed(file: group.fileName, reason: "declare \(path)") }
    H5Dclose(dataset)
  }

  /// A 1-D vlen dataset type of `base` (caller closes).
  static func vlen(_ base: hid_t) -> hid_t { H5Tvlen_create(base) }

  static func softLink(_ group: HDF5Group, to target: String, at path: String) {
    H5Lcreate_soft(target, group.id, path, h5_P_DEFAULT(), h5_P_DEFAULT())
  }

  static func hardLink(_ group: HDF5Group, to target: String, at path: String) {
    H5Lcreate_hard(group.id, target, group.id, path, h5_P_DEFAULT(), h5_P_DEFAULT())
  }

  static func externalLink(_ group: HDF5Group, file: String, object: String, at path: String) {
    H5Lcreate_external(file, object, group.id, path, h5_P_DEFAULT(), h5_P_DEFAULT())
  }

  /// A 1-D uint16 dataset of `count` elements whose data live in the raw file `external`.
  static func externalStorage(_ group: HDF5Group, _ path: String, count: UInt64, external: String) throws {
    var dims = [count]
    let space = H5Screate_simple(1, &dims, nil)
    defer { H5Sclose(space) }
    let dcpl = H5Pcreate(h5_P_DATASET_CREATE())
    defer { H5Pclose(dcpl) }
    H5Pset_external(dcpl, external, 0, hsize_t(count * 2))
    let dataset = H5Dcreate2(group.id, path, h5_T_STD_U16LE(), space, h5_P_DEFAULT(), dcpl, h5_P_DEFAULT())
    guard dataset >= 0 else { throw HDF5Error.createFailed(file: group.fileName, reason: "external \(path)") }
    H5Dclose(dataset)
  }

  /// A scalar attribute of an enum type, as h5py writes a Python bool.
  static func boolAttribute(_ object: HDF5Object, _ name: String) {
    let type = H5Tenum_create(h5_T_NATIVE_INT8())
    defer { H5Tclose(type) }
    var no: Int8 = 0, yes: Int8 = 1
    H5Tenum_insert(type, "FALSE", &no)
    H5Tenum_insert(type, "TRUE", &yes)
    let space = H5Screate(H5S_SCALAR)
    defer { H5Sclose(space) }
    let attribute = H5Acreate2(object.id, name, type, space, h5_P_DEFAULT(), h5_P_DEFAULT())
    H5Awrite(attribute, type, &yes)
    H5Aclose(attribute)
  }
}

extension HostileHDF5 {
  /// Removes the link `path` (the object goes with its last link).
  static func delete(_ group: HDF5Group, _ path: String) {
    H5Ldelete(group.id, path, h5_P_DEFAULT())
  }

  /// Removes attribute `name`.
  static func deleteAttribute(_ object: HDF5Object, _ name: String) {
    H5Adelete(object.id, name)
  }

  /// Opens `url` for writing, runs `body` on it, closes it.
  static func edit(_ url: URL, _ body: (HDF5File) throws -> Void) throws {
    try HDF5Library.serialized {
      let file = try HDF5File.open(url, writable: true)
      try body(file)
      try file.close()
    }
  }
}
