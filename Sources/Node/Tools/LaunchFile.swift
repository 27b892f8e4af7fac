import Foundation
import Yams

/// A launch file (`launch/*.yaml`): the processes of a stack, each with its command, arguments,
/// namespace, and what to do when it exits; launch arguments (`LaunchArguments`) fill in paths.
///
/// ```yaml
/// arguments:
///   data: data/synth            # $(arg data); `r4ncl launch FILE data:=/path` overrides it
/// include:                      # other launch files' processes, with their arguments
///   - file: $(dirname)/drone.yaml
///     args: {drone: alpha}
/// processes:
///   - name: node
///     command: r4ncl            # "r4ncl" means this executable
///     args: [node, --params, launch/params.yaml, --param, "namespace=$(namespace)", "$(arg data)"]
///     namespace: drone1         # substituted for $(namespace), exported as R4NCL_NAMESPACE
///     required: true            # its exit stops the whole launch
///     respawn: false            # restart it when it exits (not with required)
///     respawn_delay: 1.0
///     delay: 0.0                # seconds to wait before starting it
///     env: {KEY: value}
/// ```
public struct LaunchFile: Sendable, Equatable {
  /// One process of the launch.
  public struct Process: Sendable, Equatable {
    public var name: String
    public var command: String
    public var args: [String]
    public var namespace: String
    public var required: Bool
    public var respawn: Bool
    public var respawnDelay: Double
    public var delay: Double
    public var environment: [String: String]
  }

  public var processes: [Process]
  /// The declared arguments and the values used.
  public var arguments: LaunchArguments

  /// Parses launch YAML with launch arguments `overrides` (`name` -> value); `source` names
  /// the file in errors; `$(env ...)` reads `environment`.
  public init(
    yaml text: String, source: String, overrides: [String: String] = [:],
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws {
    try self.init(yaml: text, source: source, overrides: overrides, environment: environment, depth: 0)
  }

  /// Includes may nest this deep (a file that includes itself stops here).
  static let maxIncludeDepth = 8
  /// Processes one launch may start, includes expanded: ten includes of ten includes ... would
  /// otherwise parse (and start) 10^8 of them.
  static let maxProcesses = 1000

  private init(yaml text: String, source: String, overrides: [String: String], environment: [String: String], depth: Int) throws {
    guard let map = try Self.yaml(text, source: source) as? [String: Any] else { throw LaunchError.invalid(source, "expected a map with 'processes'") }
    for key in map.keys where !["processes", "arguments", "include"].contains(key) {
      throw LaunchError.invalid(source, "unknown top-level key '\(key)' (arguments, include, processes)")
    }
    func entries(_ key: String) throws -> [[String: Any]] {
      guard let value = map[key] else { return [] }
      guard let list = value as? [[String: Any]] else { throw LaunchError.invalid(source, "'\(key)' must be a list of maps") }
      return list
    }
    let list = try entries("processes")
    let includes = try entries("include")
    guard !list.isEmpty || !includes.isEmpty else {
      throw LaunchError.invalid(source, "expected a non-empty list under 'processes' (or 'include')")
    }
    let arguments = try LaunchArguments(
      declared: map["arguments"], overrides: overrides, environment: environment, source: source)
    self.arguments = arguments
    var processes: [Process] = []  // included files' processes first, in include order, then this file's
    for (index, entry) in includes.enumerated() {
      for key in entry.keys where key != "file" && key != "args" {
        throw LaunchError.invalid(source, "include \(index): unknown key '\(key)' (file, args)")
      }
      guard let raw = entry["file"] as? String, !raw.isEmpty else { throw LaunchError.invalid(source, "include \(index): 'file' is required") }
      guard depth < Self.maxIncludeDepth else {
        throw LaunchError.invalid(source, "includes nest deeper than \(Self.maxIncludeDepth) (does a file include itself?)")
      }
      let path = try arguments.substitute(raw, source: source, place: "include \(index) file")
      let args = try (entry["args"] as? [String: Any] ?? [:]).mapValues {
        try arguments.substitute("\($0)", source: source, place: "include \(index) args")
      }
      let included = try LaunchFile(
        yaml: try Self.contents(of: path), source: path, overrides: args, environment: environment, depth: depth + 1)
      processes += included.processes
      guard processes.count <= Self.maxProcesses else {
        throw LaunchError.invalid(source, "includes expand to more than \(Self.maxProcesses) processes")
      }
    }
    processes += try Self.processes(list, arguments: arguments, source: source)
    guard processes.count <= Self.maxProcesses else { throw LaunchError.invalid(source, "more than \(Self.maxProcesses) processes") }
    var names = Set<String>()
    for process in processes where !names.insert(process.name).inserted {
      throw LaunchError.invalid(source, "duplicate process name '\(process.name)' (give included copies their own names)")
    }
    self.processes = processes
  }

  /// The `processes:` entries of one file, with its arguments substituted.
  private static func processes(_ list: [[String: Any]], arguments: LaunchArguments, source: String) throws -> [Process] {
    try list.enumerated().map { index, entry in
      let known: Set<String> = ["name", "command", "args", "namespace", "required", "respawn", "respawn_delay", "delay", "env"]
      for key in entry.keys where !known.contains(key) {
        throw LaunchError.invalid(source, "process \(index): unknown key '\(key)'")
      }
      guard let rawCommand = entry["command"] as? String, !rawCommand.isEmpty else {
        throw LaunchError.invalid(source, "process \(index): 'command' is required")
      }
      let name = try arguments.substitute(
        entry["name"] as? String ?? "\(rawCommand)-\(index)", source: source, place: "process \(index) name")
      func fill(_ text: String, _ field: String) throws -> String {
        try arguments.substitute(text, source: source, place: "process \(name) \(field)")
      }
      let command = try fill(rawCommand, "command")
      let args = try (entry["args"] as? [Any] ?? []).map { try fill("\($0)", "args") }
      let env = try (entry["env"] as? [String: Any] ?? [:]).mapValues { try fill("\($0)", "env") }
      func number(_ key: String) throws -> Double {
        guard let raw = entry[key] else { return 0 }
        let value = (raw as? Double) ?? (raw as? Int).map(Double.init)
        guard let value, (0...Clock.longestWait).contains(value) else {  // also refuses NaN
          throw LaunchError.invalid(source, "process \(name): '\(key)' must be seconds from 0 to \(Int(Clock.longestWait))")
        }
        return value
      }
      let required = entry["required"] as? Bool ?? false
      let respawn = entry["respawn"] as? Bool ?? false
      if required && respawn { throw LaunchError.invalid(source, "process \(name): required and respawn exclude each other") }
      return Process(
        name: name, command: command, args: args, namespace: try fill(entry["namespace"] as? String ?? "", "namespace"),
        required: required, respawn: respawn, respawnDelay: max(0.1, try number("respawn_delay")),
        delay: try number("delay"), environment: env)
    }
  }

  /// The arguments a launch file declares, with `overrides` applied (arguments without a value
  /// are listed, not an error).
  public static func arguments(file path: String, overrides: [String: String] = [:]) throws -> LaunchArguments {
    return try LaunchArguments(
      declared: (try yaml(try contents(of: path), source: path) as? [String: Any])?["arguments"], overrides: overrides, environment: [:], source: path,
      requireValues: false)
  }

  /// Reads a launch file with launch arguments `overrides`.
  public init(file path: String, overrides: [String: String] = [:]) throws {
    try self.init(yaml: try Self.contents(of: path), source: path, overrides: overrides)
  }

  /// The text of the launch file at `path`.
  private static func contents(of path: String) throws -> String {
    do { return try TextFile.read(path) } catch let error as TextFileError { throw LaunchError.unreadable(path, error.reason) }
  }

  /// The YAML document `text` (from `source`).
  private static func yaml(_ text: String, source: String) throws -> Any? {
    do { return try BoundedYAML.load(text) } catch { throw LaunchError.invalid(source, "invalid YAML: \(error)") }
  }
}

/// Why a launch could not start.
public enum LaunchError: Error, CustomStringConvertible, Equatable {
  /// The launch file cannot be read (file, why).
  case unreadable(String, String)
  /// The launch file is malformed (file, what is wrong).
  case invalid(String, String)
  /// A process could not be started (name, reason).
  case spawnFailed(String, String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read launch file \(path): \(reason)"
    case .invalid(let source, let reason): return "\(source): \(reason)"
    case .spawnFailed(let name, let reason): return "cannot start \(name): \(reason)"
    }
  }
}
