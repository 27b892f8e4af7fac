import ArgumentParser
import Foundation
import Node

/// `r4ncl launch`: starts the processes a launch file lists and supervises them.
struct LaunchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "launch",
    abstract: "Start the processes of a launch file; stop all on Ctrl-C or when a required one ends.")

  @Argument(help: "Launch file (launch/*.yaml).")
  var file: String

  @Argument(help: "Launch arguments as name:=value (the file's `arguments:`; see --show-args).")
  var assignments: [String] = []

  @Flag(name: .long, help: "Print the launch file's arguments, their defaults and descriptions, and exit.")
  var showArgs = false

  @Flag(name: .long, inversion: .prefixedNo, help: "Colour the log prefixes (default: when stdout is a terminal).")
  var colour: Bool?

  @Option(name: .long, help: "Seconds between SIGINT and SIGKILL when stopping.")
  var grace: Seconds = 5

  func validate() throws {
    do { _ = try LaunchArguments.assignments(assignments) } catch { throw ValidationError("\(error)") }
  }

  func run() throws {
    let overrides = try LaunchArguments.assignments(assignments)
    if showArgs { return try printArguments(overrides) }
    let launch: LaunchFile
    do { launch = try LaunchFile(file: file, overrides: overrides) } catch { throw CommandFailure("\(error)") }
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let launcher = Launcher(file: launch, selfExecutable: executable, colour: colour ?? (isatty(STDOUT_FILENO) != 0), grace: grace.value)
    let trap = SignalTrap { _ in launcher.stop() }
    let code = try launcher.run()
    withExtendedLifetime(trap) {}
    if code != 0 { throw ExitCode(code) }
  }

  /// `name:=value` per declared argument, with its default when overridden and its description.
  private func printArguments(_ overrides: [String: String]) throws {
    let arguments: LaunchArguments
    do { arguments = try LaunchFile.arguments(file: file, overrides: overrides) } catch { throw CommandFailure("\(error)") }
    if arguments.declarations.isEmpty { print("\(file) declares no arguments") }
    for argument in arguments.declarations {
      var line = "\(argument.name):=\(arguments.values[argument.name] ?? "")"
      if let fallback = argument.defaultValue {
        if arguments.values[argument.name] != fallback { line += " (default \(fallback))" }
      } else if arguments.values[argument.name] == nil {
        line += " (required: no default)"
      }
      if !argument.description.isEmpty { line += "  # \(argument.description)" }
      print(line)
    }
  }
}
