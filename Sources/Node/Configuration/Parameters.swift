import Foundation
import Yams

/// A flat parameter table read from a ROS 2-shaped YAML file (`/**: ros__parameters: {...}` for
/// every node, `<node_name>: ros__parameters: {...}` for one), nested maps flattened to dotted
/// keys (`endpoints.spikes`), plus `key=value` overrides from the command line.
public struct Parameters: Sendable, Equatable {
  /// Values by dotted key: String, Int, Double, Bool, or [String].
  public private(set) var values: [String: ParameterValue]

  public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

  /// Reads the parameters of `nodeName` from the YAML text: `/**` first, then the node's own
  /// section (which wins). `source` names the file in errors.
  public init(yaml text: String, nodeName: String, source: String) throws {
    let root: Any?
    do { root = try BoundedYAML.load(text) } catch {
      throw ParameterError.invalidYAML(source: source, reason: "\(error)")
    }
    guard let top = root as? [String: Any] else {
      throw ParameterError.notROSShaped(source: source, reason: "the top level must be a map of node names")
    }
    var values: [String: ParameterValue] = [:]
    var matched = false
    for key in ["/**", nodeName, "/\(nodeName)"] {
      guard let section = top[key] else { continue }
      guard let map = section as? [String: Any], let params = map["ros__parameters"] as? [String: Any] else {
        throw ParameterError.notROSShaped(source: source, reason: "\(key) has no ros__parameters map")
      }
      matched = true
      try Parameters.flatten(params, prefix: "", into: &values, source: source)
    }
    guard matched else {
      throw ParameterError.notROSShaped(
        source: source, reason: "no section for node \(nodeName) or /** (found \(top.keys.sorted().joined(separator: ", ")))")
    }
    self.values = values
  }

  /// Reads the parameters of `nodeName` from a YAML file.
  public init(file path: String, nodeName: String) throws {
    let text: String
    do { text = try TextFile.read(path) } catch let error as TextFileError {
      throw ParameterError.unreadableFile(path, reason: error.reason)
    }
    try self.init(yaml: text, nodeName: nodeName, source: path)
  }

  private static func flatten(_ map: [String: Any], prefix: String, into values: inout [String: ParameterValue], source: String) throws {
    for (key, raw) in map {
      let name = prefix + key
      if let nested = raw as? [String: Any] {
        try flatten(nested, prefix: name + ".", into: &values, source: source)
      } else if let value = ParameterValue(yaml: raw) {
        values[name] = value
      } else {
        throw ParameterError.wrongType(key: name, expected: "a string, number, boolean or list of strings", found: "\(raw)")
      }
    }
  }

  /// Applies `key=value` overrides; the value is parsed as YAML (`5`, `true`, `[a, b]`, `x`).
  public mutating func override(_ assignments: [String]) throws {
    for assignment in assignments {
      guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
        throw ParameterError.badOverride(assignment)
      }
      let key = String(assignment[..<equals])
      let text = String(assignment[assignment.index(after: equals)...])
      let raw = (try? BoundedYAML.load(text)) ?? text
      guard let value = ParameterValue(yaml: raw) else { throw ParameterError.badOverride(assignment) }
      values[key] = value
    }
  }

  /// Sets one value (tests, programmatic configuration).
  public mutating func set(_ key: String, _ value: ParameterValue) { values[key] = value }
}

/// One parameter value.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case strings([String])

  init?(yaml raw: Any) {
    switch raw {
    case let v as Bool: self = .bool(v)
    case let v as Int: self = .int(v)
    case let v as Double: self = .double(v)
    case let v as String: self = .string(v)
    case let v as [Any]:
      var strings: [String] = []
      for item in v {
        guard let s = item as? String ?? (item as? CustomStringConvertible)?.description else { return nil }
        strings.append(s)
      }
      self = .strings(strings)
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .string(let v): return v
    case .int(let v): return "\(v)"
    case .double(let v): return "\(v)"
    case .bool(let v): return "\(v)"
    case .strings(let v): return "[\(v.joined(separator: ", "))]"
    }
  }
}

/// Why parameters could not be read.
public enum ParameterError: Error, CustomStringConvertible, Equatable {
  /// The parameters file does not exist or cannot be read (file, why).
  case unreadableFile(String, reason: String)
  /// The file is not valid YAML.
  case invalidYAML(source: String, reason: String)
  /// The YAML is not in the ROS 2 shape `<node>: ros__parameters: {...}`.
  case notROSShaped(source: String, reason: String)
  /// A `--param` override is not `key=value`.
  case badOverride(String)
  /// A parameter has a value of the wrong type.
  case wrongType(key: String, expected: String, found: String)
  /// A parameter's value is out of range or malformed.
  case invalidValue(key: String, reason: String)
  /// A parameter name the node does not know (likely a typo).
  case unknownParameter(String)

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason): return "cannot read parameters file \(path): \(reason)"
    case .invalidYAML(let source, let reason): return "\(source): invalid YAML: \(reason)"
    case .notROSShaped(let source, let reason): return "\(source): not a ROS 2 parameters file: \(reason)"
    case .badOverride(let text): return "--param \(text): expected key=value"
    case .wrongType(let key, let expected, let found): return "parameter \(key): expected \(expected), found \(found)"
    case .invalidValue(let key, let reason): return "parameter \(key): \(reason)"
    case .unknownParameter(let key): return "unknown parameter \(key)"
    }
  }
}
