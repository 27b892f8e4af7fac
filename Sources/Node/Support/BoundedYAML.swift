import Yams

/// Yams with guards for the files users hand the tools (parameters, launch files, recipes,
/// presets): a document over `maxBytes`, one whose aliases expand past `maxNodes` nodes (a
/// "billion laughs" file would otherwise hang expanding) and a mapping key that is not a scalar
/// (`? [a, b]`, on which Yams' constructor traps) are errors, not a hang or a crash.
public enum BoundedYAML {
  /// Nodes a document may expand to: far above any parameter or launch file.
  public static let maxNodes = 1_000_000
  /// Bytes a document may have. Also bounds how deep aliases can chain (`b: &b [*a]`, ...):
  /// Yams releases such a tree recursively, and 50,000 levels overflow the stack.
  public static let maxBytes = 256 * 1024

  /// What is wrong with a document beyond YAML syntax.
  public enum Problem: Error, CustomStringConvertible, Equatable {
    case tooLarge(maxNodes: Int)
    case tooLong(bytes: Int, maxBytes: Int)
    case complexKey(line: Int?)

    public var description: String {
      switch self {
      case .tooLarge(let n): return "the document expands to more than \(n) nodes (aliases nested too deep?)"
      case .tooLong(let n, let limit): return "the document has \(n) bytes, more than \(limit)"
      case .complexKey(let line): return "a mapping key is not a plain value" + (line.map { " (line \($0))" } ?? "")
      }
    }
  }

  /// The document's node tree (`Yams.compose`), checked; nil for an empty document.
  public static func compose(_ text: String) throws -> Yams.Node? {
    guard text.utf8.count <= maxBytes else { throw Problem.tooLong(bytes: text.utf8.count, maxBytes: maxBytes) }
    guard let node = try Yams.compose(yaml: text) else { return nil }
    var budget = maxNodes
    try check(node, budget: &budget)
    return node
  }

  /// The document as Swift values (as `Yams.load`), checked; nil for an empty document.
  public static func load(_ text: String) throws -> Any? { try compose(text)?.any }

  /// Walks the tree as the constructor will, aliases expanded, and stops after `budget` nodes,
  /// so even an exponential expansion costs at most `maxNodes` steps here.
  private static func check(_ node: Yams.Node, budget: inout Int) throws {
    budget -= 1
    guard budget >= 0 else { throw Problem.tooLarge(maxNodes: maxNodes) }
    switch node {
    case .scalar, .alias: return
    case .sequence(let sequence): for child in sequence { try check(child, budget: &budget) }
    case .mapping(let mapping):
      for (key, value) in mapping {
        guard case .scalar = key else { throw Problem.complexKey(line: key.mark.map { $0.line }) }
        try check(value, budget: &budget)
      }
    }
  }
}
