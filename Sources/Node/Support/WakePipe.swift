import Foundation

/// A self-pipe that lets worker threads (predictor, learner, signal handler) wake the I/O
/// thread out of `zmq_poll`: they write a byte, the poller watches the read end.
public final class WakePipe: @unchecked Sendable {
  /// The read end, for `ZMQPoller.add(fileDescriptor:)`.
  public let readDescriptor: Int32
  private let writeDescriptor: Int32

  public init() throws {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw NodeError.system("pipe", errno) }
    for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    readDescriptor = fds[0]
    writeDescriptor = fds[1]
  }

  deinit {
    close(readDescriptor)
    close(writeDescriptor)
  }

  /// Wakes the poller (thread-safe, async-signal-safe). A full pipe already means "wake".
  public func signal() {
    var byte: UInt8 = 1
    _ = write(writeDescriptor, &byte, 1)
  }

  /// Empties the pipe after a wake-up.
  public func drain() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while read(readDescriptor, &buffer, buffer.count) > 0 {}
  }
}
