import Foundation
import XCTest

@testable import Node

/// Child processes for the end-to-end and peer tests: output captured, every wait bounded.
final class ChildProcess {
  let process = Process()
  private let pipe = Pipe()
  private let output = Protected(Data())
  private let exited = DispatchSemaphore(value: 0)

  init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardOutput = pipe
    process.standardError = pipe
    let output = self.output
    pipe.fileHandleForReading.readabilityHandler = { handle in
      let data = handle.availableData
      if data.isEmpty { handle.readabilityHandler = nil } else { output.withLock { $0.append(data) } }
    }
    let exited = self.exited
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
  }

  /// Waits up to `timeout` seconds; kills the process and returns nil when it did not exit.
  func wait(timeout: Double) -> Int32? {
    if exited.wait(timeout: .now() + timeout) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      _ = exited.wait(timeout: .now() + 5)
      return nil
    }
    // Let the reader pick up the last bytes.
    pipe.fileHandleForReading.readabilityHandler = nil
    if let rest = try? pipe.fileHandleForReading.readToEnd() { output.withLock { $0.append(rest) } }
    return process.terminationStatus
  }

  var text: String { String(decoding: output.current, as: UTF8.self) }

  func signal(_ number: Int32) { kill(process.processIdentifier, number) }

  deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

  /// Runs to completion (bounded) and returns (status, output).
  static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                  directory: String? = nil, timeout: Double = 120) throws -> (status: Int32?, output: String) {
    let child = try ChildProcess(executable, arguments, environment: environment, directory: directory)
    let status = child.wait(timeout: timeout)
    return (status, child.text)
  }
}

/// Where things are: the repository root and the built r4ncl binary.
enum Paths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// The r4ncl executable next to the test bundle (built by `swift build` / `swift test`).
  static var r4ncl: String? {
    // The test runner (…/debug/<Package>PackageTests.xctest) lives beside the products.
    let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let path = URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("r4ncl").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  /// The absolute path of `tool` on PATH, or nil.
  static func which(_ tool: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(directory)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }
}

/// A fresh directory holding the committed synthetic fixture under the names `r4ncl` expects
/// (`shd_train.h5`, `shd_test.h5`).
func fixtureData() throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("r4ncl-train-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  for split in ["train", "test"] {
    try FileManager.default.copyItem(
      atPath: Paths.root + "/Tests/CochleaTests/Fixtures/shd_fixture_\(split).h5", toPath: dir + "/shd_\(split).h5")
  }
  return dir
}

/// Runs `r4ncl arguments` and checks that it failed with one `Error:` line containing `message`;
/// with `usage`, followed by the subcommand's usage (an argument error), otherwise by no usage at
/// all (a failure found while running). Never the root's `r4ncl <subcommand>` usage.
@discardableResult
func assertR4nclFails(_ arguments: [String], saying message: String, usage: Bool,
                      file: StaticString = #filePath, line: UInt = #line) throws -> String {
  let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
  let run = try ChildProcess.run(r4ncl, arguments, timeout: 60)
  let context = "r4ncl \(arguments.joined(separator: " ")):\n\(run.output)"
  XCTAssertNotNil(run.status, context, file: file, line: line)
  XCTAssertNotEqual(run.status, 0, context, file: file, line: line)
  let errors = run.output.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
  XCTAssertEqual(errors.count, 1, context, file: file, line: line)
  XCTAssertTrue(errors.first?.contains(message) ?? false, context, file: file, line: line)
  XCTAssertFalse(run.output.contains("<subcommand>"), context, file: file, line: line)
  XCTAssertEqual(run.output.contains("Usage: r4ncl \(arguments[0]) "), usage, context, file: file, line: line)
  if !usage { XCTAssertFalse(run.output.contains("Usage:"), context, file: file, line: line) }
  return run.output
}

/// python3 and the Python peers' generated protobuf modules (examples/python/generate.sh, into
/// `directory`/pygen); skips unless python3 imports `modules` and protoc is installed.
func pythonWithGeneratedModules(in directory: String, importing modules: String) throws -> (python: String, generated: String) {
  guard let python = Paths.which("python3") else { throw XCTSkip("python3 is not installed") }
  guard Paths.which("protoc") != nil else { throw XCTSkip("protoc is not installed") }
  let probe = try ChildProcess.run(python, ["-c", "import \(modules)"], timeout: 30)
  guard probe.status == 0 else { throw XCTSkip("python3 cannot import \(modules): \(probe.output)") }
  let generated = directory + "/pygen"
  let gen = try ChildProcess.run("/bin/sh", [Paths.root + "/examples/python/generate.sh", generated], timeout: 60)
  XCTAssertEqual(gen.status, 0, gen.output)
  return (python, generated)
}
