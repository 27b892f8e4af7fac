/// Why a network could not be built, loaded or run.
public enum NetworkError: Error, CustomStringConvertible, Equatable {
  /// A configuration field is inconsistent or out of range.
  case invalidConfig(field: String, reason: String)
  /// A named parameter does not exist in this network.
  case unknownParameter(name: String, known: [String])
  /// A parameter matrix has the wrong shape.
  case shapeMismatch(name: String, expected: (Int, Int), got: (Int, Int))
  /// An input's time steps or width do not match the network.
  case inputMismatch(String)
  /// A sample without a label was given where training or evaluation needs one.
  case missingLabel(index: Int)
  /// A label is outside `0 ..< classCount`.
  case labelOutOfRange(index: Int, label: Int, classCount: Int)
  /// An injection depth outside `0 ... hiddenLayerCount`.
  case invalidDepth(Int, hiddenLayers: Int)

  public static func == (a: NetworkError, b: NetworkError) -> Bool { a.description == b.description }

  public var description: String {
    switch self {
    case .invalidConfig(let f, let r): return "network config: field '\(f)' \(r)"
    case .unknownParameter(let n, let k): return "network: no parameter named '\(n)' (this network has \(k.joined(separator: ", ")))"
    case .shapeMismatch(let n, let e, let g): return "network: parameter '\(n)' must be \(e.0)x\(e.1), got \(g.0)x\(g.1)"
    case .inputMismatch(let s): return "network input: \(s)"
    case .missingLabel(let i): return "sample \(i) has no label, but training/evaluation needs one"
    case .labelOutOfRange(let i, let l, let c): return "sample \(i) has label \(l), outside 0..<\(c)"
    case .invalidDepth(let d, let h): return "injection depth \(d) is outside 0...\(h)"
    }
  }
}
