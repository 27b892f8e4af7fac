import Foundation

/// A launch file's arguments, as in ROS 2 launch files: declared under `arguments:` (a default,
/// or `{default: ..., description: ...}`; no default makes it required), given on the command
/// line as `name:=value` (or an include's `args:`), and referenced as `$(arg name)` in a
/// process's name, command, args, namespace and env. `$(env NAME)` and `$(env NAME default)` read
/// the launching environment; `$(dirname)` is the directory of the launch file.
public struct LaunchArguments: Sendable, Equatable {
  /// One declared argument.
  public struct Declaration: Sendable, Equatable {
    public var name: String
    public var defaultValue: String?
    public var description: String
  }

  /// Declared arguments, sorted by name.
  public let declarations: [Declaration]
  /// The value of every argument (command line, else default).
  public let values: [String: String]
  private let environment: [String: String]
  private let directory: String

  /// Reads the `arguments:` map of a launch file (`declared`, nil if absent) and applies
  /// `overrides`; `source` names the file in errors. Unless `requireValues` is false, an argument
  /// without a default that the command line does not give is an error.
  public init(
    declared: Any?, overrides: [String: String], environment: [String: String], source: String,
    requireValues: Bool = true
  ) throws {
    let folder = (source as NSString).deletingLastPathComponent
    directory = folder.isEmpty ? "." : folder
    var declarations: [Declaration] = []
    if let declared {
      guard let map = declared as? [String: Any] else {
        throw LaunchError.invalid(source, "'arguments' must map names to defaults")
      }
      for (name, entry) in map {
        guard Self.isName(name) else { throw LaunchError.invalid(source, "argument name '\(name)' must be letters, digits and _") }
        if let detail = entry as? [String: Any] {
          for key in detail.keys where key != "default" && key != "description" {
            throw LaunchError.invalid(source, "argument \(name): unknown key '\(key)' (default, description)")
          }
          declarations.append(Declaration(
            name: name, defaultValue: detail["default"].flatMap { $0 is NSNull ? nil : "\($0)" },
            description: detail["description"].flatMap { $0 is NSNull ? nil : "\($0)" } ?? ""))
        } else {
          declarations.append(Declaration(name: name, defaultValue: entry is NSNull ? nil : "\(entry)", description: ""))
        }
      }
    }
    self.declarations = declarations.sorted { $0.name < $1.name }
    let names = self.declarations.map(\.name)
    var values: [String: String] = [:]
    for declaration in self.declarations { values[declaration.name] = declaration.defaultValue }
    for (name, value) in overrides {
      guard names.contains(name) else {
        throw LaunchError.invalid(source, "no argument '\(name)' (declared: \(Self.list(names)))")
      }
      values[name] = value
    }
    for declaration in self.declarations where requireValues && values[declaration.name] == nil {
      throw LaunchError.invalid(source, "argument '\(declaration.name)' has no default: give \(declaration.name):=VALUE")
    }
    self.values = values
    self.environment = environment
  }

  /// Parses command-line assignments `name:=value`.
  public static func assignments(_ items: [String]) throws -> [String: String] {
    var result: [String: String] = [:]
    for item in items {
      guard let range = item.range(of: ":="), isName(String(item[..<range.lowerBound])) else {
        throw LaunchError.invalid("command line", "'\(item)' is not a launch argument: write name:=value")
      }
      result[String(item[..<range.lowerBound])] = String(item[range.upperBound...])
    }
    return result
  }

  /// `text` with every `$(arg ...)` and `$(env ...)` replaced; other `$(...)` (the launcher's
  /// `$(namespace)`, `$(r4ncl)`) are left as they are. `place` names the field in errors.
  func substitute(_ text: String, source: String, place: String) throws -> String {
    var result = ""
    var rest = Substring(text)
    while let open = rest.range(of: "$(") {
      guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
      result += rest[..<open.lowerBound]
      let words = rest[open.upperBound..<close].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      switch words.first {
      case "arg":
        guard words.count == 2 else { throw LaunchError.invalid(source, "\(place): write $(arg NAME)") }
        guard let value = values[words[1]] else {
          throw LaunchError.invalid(
            source, "\(place): unknown argument '\(words[1])' (declared: \(Self.list(declarations.map(\.name))))")
        }
        result += value
      case "dirname":
        guard words.count == 1 else { throw LaunchError.invalid(source, "\(place): write $(dirname)") }
        result += directory
      case "env":
        guard words.count >= 2 else { throw LaunchError.invalid(source, "\(place): write $(env NAME) or $(env NAME default)") }
        guard let value = environment[words[1]] ?? (words.count > 2 ? words[2...].joined(separator: " ") : nil) else {
          throw LaunchError.invalid(source, "\(place): environment variable \(words[1]) is not set and $(env) gives no default")
        }
        result += value
      default:
        result += rest[open.lowerBound...close]
      }
      rest = rest[rest.index(after: close)...]
    }
    return result + rest
  }

  private static func isName(_ text: String) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  private static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}
