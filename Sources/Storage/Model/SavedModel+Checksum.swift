import Learner

extension SavedModel {
  /// CRC-32 of what loading reads from a model file, the root attribute `content_crc32` (HDF5
  /// does not check the bytes of contiguous datasets). In this order, little-endian: attribute
  /// `config_json` (UTF-8 + 0 byte), the weight matrices sorted by name (float32, row-major),
  /// `thresholds` (float32), `class_names` (UTF-8 + 0 each). The `info` group is not covered.
  func contentChecksum(configJSON: String) -> UInt32 {
    var crc = ContentCRC32()
    crc.text(configJSON)
    crc.matrices(network.namedParameters)
    crc.numbers(network.thresholds)
    for name in classNames { crc.text(name) }
    return crc.value
  }
}
