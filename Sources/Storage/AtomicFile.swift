import Foundation

/// A failure while replacing a file atomically.
public enum AtomicFileError: Error, Equatable, CustomStringConvertible {
  /// The destination's directory does not exist.
  case directoryMissing(path: String)
  /// fsync of the temporary file or the directory failed (errno text).
  case syncFailed(path: String, reason: String)
  /// Renaming the temporary file over the destination failed (errno text).
  case renameFailed(from: String, to: String, reason: String)

  public var description: String {
    switch self {
    case .directoryMissing(let path): return "\(path): directory does not exist"
    case .syncFailed(let path, let reason): return "\(path): fsync failed (\(reason))"
    case .renameFailed(let from, let to, let reason): return "cannot rename \(from) to \(to) (\(reason))"
    }
  }
}

/// Replaces a file so that readers (and a crash) see either the old or the new contents,
/// never a half-written file: write a temporary file in the same directory, fsync it, rename
/// it over the destination (atomic within one file system), fsync the directory.
public enum AtomicFile {
  /// Calls `body` with the temporary path to fill, then moves it to `url`. The temporary file
  /// is removed if `body` or any later step fails. `beforeRename` runs between the synced
  /// temporary file and the rename (fault injection for crash tests).
  public static func write(to url: URL, beforeRename: (() throws -> Void)? = nil, _ body: (URL) throws -> Void) throws {
    let directory = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { throw AtomicFileError.directoryMissing(path: directory.path) }
    removeStaleTemporaries(of: url)
    let temporary = directory.appendingPathComponent(
      "\(temporaryPrefix(of: url))\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    var committed = false
    defer { if !committed { unlink(temporary.path) } }
    try body(temporary)
    try sync(temporary.path)
    try beforeRename?()
    guard rename(temporary.path, url.path) == 0 else {
      throw AtomicFileError.renameFailed(
        from: temporary.path, to: url.path, reason: String(cString: strerror(errno)))
    }
    committed = true
    try sync(directory.path)
  }

  /// Temporary files of `url` are named `.<name>.tmp-<pid>-<random>` beside it.
  static func temporaryPrefix(of url: URL) -> String { ".\(url.lastPathComponent).tmp-" }

  /// Deletes temporary files of `url` left by writers that died before renaming (a crash or
  /// SIGKILL mid-write): those whose pid no longer runs. A live writer's file is kept. Returns
  /// the names removed.
  @discardableResult
  public static func removeStaleTemporaries(of url: URL) -> [String] {
    let directory = url.deletingLastPathComponent()
    let prefix = temporaryPrefix(of: url)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
    var removed: [String] = []
    for name in names where name.hasPrefix(prefix) {
      let rest = name.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { continue }
      // kill(pid, 0) fails with ESRCH only when no such process exists.
      guard kill(pid, 0) != 0, errno == ESRCH else { continue }
      if unlink(directory.appendingPathComponent(name).path) == 0 { removed.append(name) }
    }
    return removed
  }

  /// fsync on a freshly opened descriptor: flushes the file's (or directory's) pages.
  private static func sync(_ path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw AtomicFileError.syncFailed(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    guard fsync(fd) == 0 else {
      throw AtomicFileError.syncFailed(path: path, reason: String(cString: strerror(errno)))
    }
  }
}
