/// A replay buffer as plain arrays, the form the Storage layer writes to HDF5 (and a peer
/// receives in a `ReplayShard`): all encodings concatenated in `bytes`, entry i spanning
/// `bytes[offsets[i] ..< offsets[i + 1]]` with class `labels[i]`, plus the metadata.
public struct ReplayBufferRepresentation: Sendable, Equatable, Codable {
  /// Codec name, parseable by `replayCodec(named:)`.
  public var codec: String
  public var depth: Int
  public var timesteps: Int
  public var units: Int
  /// Concatenated encoded samples, classes ascending, insertion order within a class.
  public var bytes: [UInt8]
  /// `labels.count + 1` offsets into `bytes`, starting at 0 and ending at `bytes.count`.
  public var offsets: [Int]
  /// Class of each entry.
  public var labels: [Int]
  /// See `ReplayBuffer.baseFingerprint`.
  public var baseFingerprint: String?

  public init(
    codec: String, depth: Int, timesteps: Int, units: Int, bytes: [UInt8], offsets: [Int], labels: [Int],
    baseFingerprint: String? = nil
  ) {
    self.codec = codec
    self.depth = depth
    self.timesteps = timesteps
    self.units = units
    self.bytes = bytes
    self.offsets = offsets
    self.labels = labels
    self.baseFingerprint = baseFingerprint
  }
}

extension ReplayBuffer {
  /// The buffer as plain arrays (see `ReplayBufferRepresentation`).
  public var representation: ReplayBufferRepresentation {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(totalBytes)
    var offsets = [0]
    var labels: [Int] = []
    for c in classes {
      for entry in entries[c] ?? [] {
        bytes.append(contentsOf: entry)
        offsets.append(bytes.count)
        labels.append(c)
      }
    }
    return ReplayBufferRepresentation(
      codec: codec.name, depth: depth, timesteps: timesteps, units: units,
      bytes: bytes, offsets: offsets, labels: labels, baseFingerprint: baseFingerprint)
  }

  /// Rebuilds a buffer; every entry is decoded once to check it is intact and matches the
  /// metadata, so later decodes of a loaded buffer do not meet corrupt bytes.
  public init(representation r: ReplayBufferRepresentation) throws {
    let codec: any ReplayCodec
    do { codec = try replayCodec(named: r.codec) } catch {
      throw ReplayBufferError.invalidRepresentation("\(error)")
    }
    try self.init(codec: codec, depth: r.depth, timesteps: r.timesteps, units: r.units, baseFingerprint: r.baseFingerprint)
    guard r.offsets.count == r.labels.count + 1 else {
      throw ReplayBufferError.invalidRepresentation(
        "\(r.offsets.count) offsets for \(r.labels.count) labels (need labels + 1)")
    }
    guard r.offsets.first == 0, r.offsets.last == r.bytes.count else {
      throw ReplayBufferError.invalidRepresentation(
        "offsets must start at 0 and end at the byte count \(r.bytes.count)")
    }
    for i in 0..<r.labels.count {
      let (a, b) = (r.offsets[i], r.offsets[i + 1])
      guard a <= b else { throw ReplayBufferError.invalidRepresentation("offsets decrease at entry \(i)") }
      let chunk = Array(r.bytes[a..<b])
      let sample: LatentSample
      do { sample = try codec.decode(chunk) } catch {
        throw ReplayBufferError.corruptEntry(index: i, reason: "\(error)")
      }
      guard sample.label == r.labels[i] else {
        throw ReplayBufferError.invalidRepresentation(
          "entry \(i) is labelled \(r.labels[i]) but its header says \(sample.label.map(String.init) ?? "unlabeled")")
      }
      guard sample.depth == depth, sample.timesteps == timesteps, sample.width == units else {
        throw ReplayBufferError.shapeMismatch(
          expected: "depth \(depth) \(timesteps)x\(units)",
          found: "depth \(sample.depth) \(sample.timesteps)x\(sample.width)")
      }
      // Keep the stored bytes as they are (re-encoding a lossy decode would change them).
      entries[r.labels[i], default: []].append(chunk)
      totalBytes += chunk.count
    }
  }
}
