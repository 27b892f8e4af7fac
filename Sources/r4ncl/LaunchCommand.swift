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

  @Flag(name: .long, inversion: .prefixedNo, help: "Colour the log prefixes (default: when stdout is a terminal).")
  var colour: Bool?

  @Option(name: .long, help: "Seconds between SIGINT and SIGKILL when stopping.")
  var grace: Double = 5

  func run() throws {
    let launch = try LaunchFile(file: file)
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let launcher = Launcher(file: launch, selfExecutable: executable, colour: colour ?? (isatty(STDOUT_FILENO) != 0), grace: grace)
    let trap = SignalTrap { _ in launcher.stop() }
    let code = try launcher.run()
    withExtendedLifetime(trap) {}
    if code != 0 { throw ExitCode(code) }
  }
}
