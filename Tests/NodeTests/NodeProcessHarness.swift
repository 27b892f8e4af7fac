import Foundation
import Proto
import XCTest

@testable import Node

/// A real `r4ncl node` process for the reliability tests: started with `--param` overrides,
/// its sockets bound to wildcard tcp ports on 127.0.0.1 unless the parameters say otherwise;
/// the real endpoints are read from its start-up log line ("node <ns>: control tcp://...; ...").
final class NodeProcess {
  let child: ChildProcess
  /// The endpoints by socket name ("spikes", "labels", "output", "control").
  let endpoints: [String: [String]]
  let topics: Topics

  var pid: Int32 { child.process.processIdentifier }
  var isRunning: Bool { child.process.isRunning }
  var output: String { child.text }

  /// Starts a node in namespace `namespace` with `parameters` ("key=value"); waits (bounded)
  /// until it logged its endpoints. Throws with the node's output when it exits or stalls.
  init(namespace: String, parameters: [String], environment: [String: String] = [:], timeout: Double = 30) throws {
    guard let r4ncl = Paths.r4ncl else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    var arguments = ["node", "--param", "namespace=\(namespace)"]
    let given = Set(parameters.map { String($0.prefix { $0 != "=" }) })
    for socket in ["spikes", "labels", "output", "control"] where !given.contains("endpoints.\(socket)") {
      arguments += ["--param", "endpoints.\(socket)=@tcp://127.0.0.1:*"]
    }
    for parameter in parameters { arguments += ["--param", parameter] }
    topics = Topics(namespace: namespace)
    child = try ChildProcess(r4ncl, arguments, environment: environment)
    let deadline = Date().addingTimeInterval(timeout)
    var found: [String: [String]]?
    while Date() < deadline {
      found = NodeProcess.parseEndpoints(child.text, namespace: topics.namespace)
      if found != nil || !child.process.isRunning { break }
      usleep(10_000)
    }
    guard let found else {
      let status = child.wait(timeout: 1)
      throw TestFailure("node did not start (exit \(status.map(String.init) ?? "none")): \(child.text)")
    }
    endpoints = found
  }

  /// The endpoints of the log line `node <ns>: name ep[,ep]; name ep...`.
  static func parseEndpoints(_ log: String, namespace: String) -> [String: [String]]? {
    guard let line = log.split(separator: "\n").first(where: { $0.contains("node \(namespace): ") }) else { return nil }
    let list = line.components(separatedBy: "node \(namespace): ").last ?? ""
    var endpoints: [String: [String]] = [:]
    for part in list.split(separator: ";") {
      let fields = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
      guard fields.count == 2 else { continue }
      endpoints[String(fields[0])] = fields[1].split(separator: ",").map(String.init)
    }
    return ["spikes", "labels", "output", "control"].allSatisfy({ endpoints[$0] != nil }) ? endpoints : nil
  }

  /// A client connected to every socket of this node.
  func client() throws -> NodeClient { try NodeClient(endpoints: endpoints, topics: topics) }

  /// SIGKILL, then wait for the process to be gone.
  func kill9() {
    child.signal(SIGKILL)
    _ = child.wait(timeout: 10)
  }

  /// SIGTERM and the exit status (nil when it did not exit within `timeout`).
  func terminate(timeout: Double = 20) -> Int32? {
    child.signal(SIGTERM)
    return child.wait(timeout: timeout)
  }

  /// The resident set size in kB (`VmRSS` of /proc/PID/status), nil when unreadable.
  var residentKilobytes: Int? { NodeProcess.residentKilobytes(pid: pid) }

  /// CPU seconds (user + system) the process used so far, from /proc/PID/stat.
  var cpuSeconds: Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  static func residentKilobytes(pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
  }
}

/// The integer value of environment variable `name`, or `fallback`.
func environmentInt(_ name: String, _ fallback: Int) -> Int {
  ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}
