import CHDF5
import Foundation

/// Process-wide HDF5 state: error-printing switch, the serialising lock, error messages.
///
/// HDF5 keeps its automatic error printer per thread (Debian's build is thread-safe), so every
/// public entry point calls `enter()` to switch it off before touching the library.
public enum HDF5Library {
  private static let lock = NSRecursiveLock()

  /// Runs `body` with the HDF5 error printer off, serialised against other HDF5 work
  /// (a non-thread-safe libhdf5 build must never be entered from two threads).
  public static func serialized<R>(_ body: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    _ = h5_silence_errors()
    return try body()
  }

  /// HDF5's innermost message for the most recent failure on this thread; clears the stack.
  static func takeErrorMessage() -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    buffer.withUnsafeMutableBufferPointer { h5_take_error_message($0.baseAddress!) }
    return String(cString: buffer)
  }

  /// The library version, e.g. "1.10.8".
  public static var version: String {
    var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
    H5get_libversion(&major, &minor, &release)
    return "\(major).\(minor).\(release)"
  }
}
