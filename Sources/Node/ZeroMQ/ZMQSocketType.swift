import CZeroMQ

/// The ZeroMQ socket patterns the node uses.
public enum ZMQSocketType: Sendable, CaseIterable {
  /// Publisher: fans messages out to subscribers, drops when a subscriber's queue is full.
  case pub
  /// Subscriber: receives the messages whose first frame starts with a subscribed prefix.
  case sub
  /// Publisher that also receives subscription messages (proxy back end).
  case xpub
  /// Subscriber that forwards subscriptions upstream (proxy front end).
  case xsub
  /// Request side of a strict request/reply exchange.
  case req
  /// Reply side of a strict request/reply exchange (the node's control socket).
  case rep
  /// Exclusive pair (e.g. steering a proxy).
  case pair
  /// Reply side that sees each request's envelope and may answer any of them, or none (tests
  /// stand in for a node that loses a request).
  case router

  var rawValue: Int32 {
    switch self {
    case .pub: return ZMQ_PUB
    case .sub: return ZMQ_SUB
    case .xpub: return ZMQ_XPUB
    case .xsub: return ZMQ_XSUB
    case .req: return ZMQ_REQ
    case .rep: return ZMQ_REP
    case .pair: return ZMQ_PAIR
    case .router: return ZMQ_ROUTER
    }
  }
}
