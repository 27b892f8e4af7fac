/// Why a continual-learning setting, phase or scenario cannot run.
public enum ContinualError: Error, CustomStringConvertible, Equatable {
  /// A settings field is out of range or inconsistent (field name, what is wrong).
  case invalidSetting(field: String, reason: String)
  /// A method preset name is not one of naive, joint, spikinglr, replay4ncl.
  case unknownMethod(String)
  /// A scenario's class split is impossible for the data (e.g. a held-out class with no samples).
  case invalidScenario(String)
  /// The replay buffer has no samples where the learning phase needs some.
  case emptyReplay(String)
  /// A replay codec name could not be bound to a codec.
  case unknownCodec(String)

  public var description: String {
    switch self {
    case .invalidSetting(let f, let r): return "continual settings: '\(f)' \(r)"
    case .unknownMethod(let m): return "continual: unknown method '\(m)' (expected naive, joint, spikinglr or replay4ncl)"
    case .invalidScenario(let s): return "continual scenario: \(s)"
    case .emptyReplay(let s): return "continual replay: \(s)"
    case .unknownCodec(let c): return "continual: replay codec '\(c)' is unknown (expected \(LatentCodec.knownNames))"
    }
  }
}
