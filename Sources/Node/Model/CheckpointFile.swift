import Foundation
import Proto

/// Checkpoint files: a header (magic "R4CK", format 1, payload length, CRC-32) and the
/// serialized `Checkpoint`. Written to a temporary file, fsync'd and renamed, so a reader sees
/// the old file or the new one, never a torn one; the CRC catches corruption on disk.
public enum CheckpointFile {
  static let magic: [UInt8] = Array("R4CK".utf8)
  static let headerSize = 16

  /// Writes `checkpoint` to `path` atomically (temp file + fsync + rename + directory fsync).
  /// `beforeRename` is a fault-injection hook for crash tests.
  public static func write(_ checkpoint: R4ncl_V1_Checkpoint, to path: String, beforeRename: (() -> Void)? = nil) throws {
    let payload: [UInt8]
    do { payload = try checkpoint.serializedBytes() } catch {
      throw NodeError.writeFailed(path: path, reason: "cannot serialize: \(error)")
    }
    var bytes = magic
    bytes += le(UInt32(1)) + le(UInt32(payload.count)) + le(CRC32.checksum(payload))
    bytes += payload
    try AtomicFileWriter.write(bytes, to: path, beforeRename: beforeRename)
  }

  /// Reads and verifies the checkpoint at `path`.
  public static func read(_ path: String) throws -> R4ncl_V1_Checkpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NodeError.badCheckpoint(path: path, reason: "cannot read the file")
    }
    let bytes = [UInt8](data)
    guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else {
      throw NodeError.badCheckpoint(path: path, reason: "not a checkpoint file (no R4CK header)")
    }
    let format = readLE(bytes, 4), length = Int(readLE(bytes, 8)), crc = readLE(bytes, 12)
    guard format == 1 else { throw NodeError.badCheckpoint(path: path, reason: "unknown format \(format)") }
    guard bytes.count == headerSize + length else {
      throw NodeError.badCheckpoint(path: path, reason: "truncated: \(bytes.count - headerSize) of \(length) payload bytes")
    }
    let payload = bytes[headerSize...]
    guard CRC32.checksum(payload) == crc else {
      throw NodeError.badCheckpoint(path: path, reason: "checksum mismatch (corrupted)")
    }
    do { return try R4ncl_V1_Checkpoint(serializedBytes: Array(payload)) } catch {
      throw NodeError.badCheckpoint(path: path, reason: "payload does not decode: \(error)")
    }
  }

  static func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

  static func readLE(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
  }
}

/// Atomic file replacement: write a temporary sibling, fsync it, rename it over the target,
/// fsync the directory.
public enum AtomicFileWriter {
  public static func write(_ bytes: [UInt8], to path: String, beforeRename: (() -> Void)? = nil) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let temporary = "\(path).tmp.\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw NodeError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(temporary)
        throw NodeError.writeFailed(path: path, reason: reason)
      }
      written += n
    }
    guard fsync(fd) == 0 else {
      let reason = String(cString: strerror(errno))
      close(fd)
      unlink(temporary)
      throw NodeError.writeFailed(path: path, reason: "fsync: \(reason)")
    }
    close(fd)
    beforeRename?()
    FaultInjection.pauseBeforeRename(path)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw NodeError.writeFailed(path: path, reason: "rename: \(reason)")
    }
    syncDirectory(directory.isEmpty ? "." : directory)
  }

  /// fsync a directory so a rename or a new file in it survives a crash.
  static func syncDirectory(_ directory: String) {
    let fd = open(directory, O_RDONLY)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }
}
