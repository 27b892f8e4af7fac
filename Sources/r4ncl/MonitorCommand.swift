import ArgumentParser
import Foundation
import Node
import Proto

/// `r4ncl monitor`: the demo's dashboard. Subscribes to the node's predictions and status,
/// prints a live line (accuracy on old and new classes over the last N labelled predictions,
/// model version, learning progress) and, on exit, a summary table per model version.
struct MonitorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor", abstract: "Live accuracy on old and new classes while the node learns; summary at the end.")

  @Option(name: .long, help: "The node's output endpoint(s); @endpoint binds.")
  var connect: [String] = ["tcp://127.0.0.1:5557"]

  @Option(name: .long, help: "Topic namespace (default: $R4NCL_NAMESPACE or r4ncl).")
  var namespace: String?

  @Option(name: .long, help: "Classes taught live, comma-separated (the rest are old).")
  var new: String = "19"

  @Option(name: .long, help: "Sliding window of the live line, predictions.")
  var window = 100

  @Option(name: .long, help: "Exit after this many predictions (0 = no limit).")
  var count = 0

  @Option(name: .long, help: "Exit after this many seconds without a prediction once some arrived (player ended; 0 = never).")
  var idle: Seconds = 10

  @Option(name: .long, help: "Seconds between live lines when stdout is not a terminal.")
  var every: Seconds = 5

  func validate() throws { _ = try newClasses() }

  /// The class ids of --new.
  func newClasses() throws -> Set<Int> {
    Set(try new.split(separator: ",").map { part -> Int in
      guard let id = Int(part.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--new '\(new)': expected class ids like 19 or 18,19") }
      return id
    })
  }

  func run() throws {
    let ns = namespace ?? ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"] ?? "r4ncl"
    let topics = Topics(namespace: ns)
    let newClasses = try newClasses()
    let subscriber = try ToolSubscriber(endpoints: connect, topics: [topics.predictions, topics.status])
    defer { withExtendedLifetime(subscriber) {} }
    let socket = subscriber.socket
    try socket.setReceiveTimeout(250)
    let terminal = isatty(STDOUT_FILENO) == 1
    var tally = MonitorTally(newClasses: newClasses, window: window)
    var lastPrediction = Date()
    var lastLine = Date.distantPast
    while count == 0 || tally.predictions < count {
      let frames: [[UInt8]]?
      do { frames = try socket.receive() } catch let error as ZMQError where error.isTerminated { break }
      if let frames, frames.count == 2 {
        let topic = String(decoding: frames[0], as: UTF8.self)
        if topic == topics.predictions, let p = try? R4ncl_V1_Prediction(serializedBytes: frames[1]) {
          tally.add(p)
          lastPrediction = Date()
        } else if topic == topics.status, let s = try? R4ncl_V1_NodeStatus(serializedBytes: frames[1]) {
          tally.add(s)
        }
      }
      if idle > 0, tally.predictions > 0, Date().timeIntervalSince(lastPrediction) > idle.value { break }
      if terminal {
        if Date().timeIntervalSince(lastLine) > 0.2 {
          print("\r\u{1B}[K" + tally.liveLine, terminator: "")
          fflush(stdout)
          lastLine = Date()
        }
      } else if Date().timeIntervalSince(lastLine) > every.value {
        print(tally.liveLine)
        fflush(stdout)
        lastLine = Date()
      }
    }
    if terminal { print("") }
    print(tally.liveLine)
    print("== summary")
    print(tally.summary())
    fflush(stdout)
  }
}
