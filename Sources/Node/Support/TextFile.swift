import Foundation

/// Reads the small text files a user hands the tools (node parameters, launch files, recipes,
/// presets) with errors they can act on: missing, a directory, a device, unreadable, or too
/// large to be one. Pipes are read, so `r4ncl launch <(generate-launch-file)` works.
public enum TextFile {
  /// Largest file read: far beyond any hand-written configuration.
  public static let limit = 16 << 20

  public static func read(_ path: String, limit: Int = TextFile.limit) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw TextFileError(path: path, reason: String(cString: strerror(errno)).lowercased()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw TextFileError(path: path, reason: String(cString: strerror(errno)).lowercased()) }
    switch info.st_mode & S_IFMT {
    case S_IFREG, S_IFIFO: break
    case S_IFDIR: throw TextFileError(path: path, reason: "is a directory")
    default: throw TextFileError(path: path, reason: "is not a regular file (a device or socket)")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw TextFileError(path: path, reason: String(cString: strerror(errno)).lowercased())
      }
      if n == 0 { break }
      guard bytes.count + n <= limit else { throw TextFileError(path: path, reason: "is larger than \(limit >> 20) MiB") }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Why a text file could not be read: the path and a lower-case reason ("no such file or
/// directory", "is a directory", ...).
public struct TextFileError: Error, Equatable, CustomStringConvertible {
  public var path: String
  public var reason: String

  public var description: String { "\(path): \(reason)" }
}
