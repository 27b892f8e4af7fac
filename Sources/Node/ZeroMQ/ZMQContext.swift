import CZeroMQ

/// A libzmq context: owns the I/O threads every socket of a process shares.
/// Sockets keep their context alive; `zmq_ctx_term` runs when the last reference goes.
public final class ZMQContext: @unchecked Sendable {
  let handle: UnsafeMutableRawPointer

  /// Creates a context with `ioThreads` background I/O threads (libzmq's default is 1).
  public init(ioThreads: Int32 = 1) throws {
    guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
    self.handle = handle
    if ioThreads != 1, zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) != 0 {
      zmq_ctx_term(handle)
      throw ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS)")
    }
  }

  /// Makes every blocking call on this context's sockets fail with ETERM (thread-safe);
  /// the owners then close their sockets.
  public func shutdown() {
    zmq_ctx_shutdown(handle)
  }

  deinit {
    // Retry on EINTR: zmq_ctx_term may be interrupted by a signal (SIGINT drain).
    while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
  }

  /// The linked libzmq version as "major.minor.patch".
  public static var version: String {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
  }
}
