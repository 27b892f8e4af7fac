import Learner

extension Checkpoint {
  /// CRC-32 of everything a checkpoint file stores, the root attribute `content_crc32`: HDF5
  /// checks its own metadata but not the bytes of contiguous datasets, so a flipped bit in a
  /// weight would otherwise load silently. In this order, little-endian (what `zlib.crc32` over
  /// h5py's arrays reproduces):
  /// attributes phase, method, config, settings, node, base_fingerprint (UTF-8, each followed by a
  /// 0 byte), model_version (int64); `weights/*` sorted by name (float32, row-major);
  /// thresholds (float32); layer_rates (float64); classes/ids (int64); classes/names (UTF-8 + 0
  /// each); when there is replay: codec (UTF-8 + 0), depth and timesteps (int64), bytes, offsets
  /// (int64), labels (int32).
  func contentChecksum(configJSON: String) -> UInt32 {
    var crc = ContentCRC32()
    for s in [phase, method, configJSON, settingsJSON, node, baseFingerprint] { crc.text(s) }
    crc.numbers([Int64(truncatingIfNeeded: modelVersion)])
    crc.matrices(network.namedParameters)
    crc.numbers(network.thresholds)
    crc.numbers(layerRates)
    crc.numbers((classIDs ?? Array(classNames.indices)).map { Int64($0) })
    for name in classNames { crc.text(name) }
    if let r = replay {
      crc.text(r.codec)
      crc.numbers([Int64(r.depth), Int64(r.timesteps)])
      crc.numbers(r.bytes)
      crc.numbers(r.offsets)
      crc.numbers(r.labels)
    }
    return crc.value
  }
}
