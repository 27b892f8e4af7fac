import ArgumentParser
import Foundation

/// Checks where a command will write before its job starts, so a typo in `--out` costs a
/// second, not a training run or an hour of recording: the folder must exist (or be creatable)
/// and be writable, and a file path must not name a folder or a device.
enum OutputPath {
  /// A file written atomically (a temporary beside it, then a rename over the path).
  static func checkFile(_ path: String, option: String) throws {
    func refuse(_ reason: String) -> ValidationError { ValidationError("\(option) '\(path)': \(reason)") }
    guard !path.isEmpty else { throw refuse("is empty") }
    if let kind = kind(of: path) {
      // The rename would replace a device node or FIFO with a regular file.
      guard kind != .directory else { throw refuse("is a directory; give a file name") }
      guard kind == .file else { throw refuse("exists and is not a regular file (a device, FIFO or socket)") }
    }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard kind(of: parent) == .directory else { throw refuse("directory \(parent) does not exist") }
    guard access(parent, W_OK) == 0 else { throw refuse("directory \(parent) is not writable") }
  }

  /// A folder the command creates when needed (with its parents) and writes files into.
  static func checkFolder(_ path: String, option: String) throws {
    func refuse(_ reason: String) -> ValidationError { ValidationError("\(option) '\(path)': \(reason)") }
    guard !path.isEmpty else { throw refuse("is empty") }
    var existing = URL(fileURLWithPath: path).standardizedFileURL
    while kind(of: existing.path) == nil, existing.path != "/" { existing.deleteLastPathComponent() }
    guard kind(of: existing.path) == .directory else {
      throw refuse(existing.path == URL(fileURLWithPath: path).standardizedFileURL.path
        ? "is not a directory" : "\(existing.path) is not a directory")
    }
    guard access(existing.path, W_OK) == 0 else { throw refuse("directory \(existing.path) is not writable") }
  }

  private enum Kind { case file, directory, other }

  /// What is at `path` (following symbolic links), nil when nothing is.
  private static func kind(of path: String) -> Kind? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }
}
