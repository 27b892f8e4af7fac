import CZeroMQ

/// A failed libzmq call, carrying the call's name and `zmq_errno()` so the message says what
/// went wrong (e.g. "zmq_bind(tcp://127.0.0.1:5555): Address already in use").
public enum ZMQError: Error, CustomStringConvertible, Equatable {
  /// A libzmq function returned an error; `code` is the errno value it set.
  case call(String, code: Int32)
  /// An option value is not valid (e.g. a CURVE key that is not 40 Z85 characters).
  case invalidOption(String)
  /// An endpoint libzmq would misread (a TCP port beyond 65535 binds port mod 65536).
  case invalidEndpoint(String, reason: String)

  /// The error of the last failed libzmq call on this thread, named by `function`.
  static func last(_ function: String) -> ZMQError {
    .call(function, code: zmq_errno())
  }

  /// The errno value, or 0 for `invalidOption` and `invalidEndpoint`.
  public var code: Int32 {
    if case .call(_, let code) = self { return code }
    return 0
  }

  /// True when the context was terminated (ETERM): the socket must be closed.
  public var isTerminated: Bool { code == ETERM }

  /// True when a signal interrupted a blocking call (EINTR): the call may be retried.
  public var isInterrupted: Bool { code == EINTR }

  public var description: String {
    switch self {
    case .call(let function, let code):
      return "\(function): \(String(cString: zmq_strerror(code))) (errno \(code))"
    case .invalidOption(let text):
      return "invalid ZeroMQ option: \(text)"
    case .invalidEndpoint(let endpoint, let reason):
      return "invalid ZeroMQ endpoint \(endpoint): \(reason)"
    }
  }
}
