import ArgumentParser
import Foundation
import Node
import Proto

/// `r4ncl control`: one request to a node's REP control socket, like `ros2 service call`:
/// status, save or load a checkpoint on the node's disk, fetch its model to this machine, learn
/// now, shut down.
struct ControlCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "control", abstract: "Ask a running node over its control socket (status, save, load, learn-now, shutdown).",
    subcommands: [Status.self, Save.self, Load.self, Snapshot.self, LearnNow.self, Shutdown.self])

  /// Where the node's control socket is and how long to wait for it.
  struct Connection: ParsableArguments {
    @Option(name: .long, help: "The node's control endpoint (its endpoints.control).")
    var control = "tcp://127.0.0.1:5558"

    @Option(name: .long, help: "Seconds to wait for the reply.")
    var timeout: Seconds = 5

    func validate() throws {
      guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be in (0, 3600] seconds") }
    }

    /// Sends one request; a reply with `ok` false is a failure naming the node's error.
    func call(_ configure: (inout R4ncl_V1_ControlRequest) -> Void) throws -> R4ncl_V1_ControlReply {
      let reply = try ControlClient(endpoint: control, timeout: timeout.value).request(configure)
      guard reply.ok else { throw CommandFailure("the node (\(control)) refused: \(reply.error)") }
      return reply
    }
  }

  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the node's status.")
    @OptionGroup var connection: Connection
    @Flag(name: .long, help: "Print the whole NodeStatus message as JSON.")
    var json = false

    func run() throws {
      let status = try connection.call { $0.status = R4ncl_V1_GetStatus() }.status
      if json {
        print(try status.jsonString())
      } else {
        NodeStatusSummary.lines(status).forEach { print($0) }
      }
    }
  }

  struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a checkpoint of the node's current model.")
    @OptionGroup var connection: Connection
    @Option(name: .long, help: "File to write (default: a new file in the node's checkpoint.dir).")
    var path: String?

    func run() throws {
      let reply = try connection.call { $0.saveCheckpoint.path = path.map(ControlCommand.absolute) ?? "" }
      print("saved model v\(reply.status.modelVersion) to \(reply.checkpointPath)")
    }
  }

  struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replace the node's model by a checkpoint file.")
    @OptionGroup var connection: Connection
    @Argument(help: "Checkpoint file (relative paths are taken from this directory).")
    var path: String

    func run() throws {
      let reply = try connection.call { $0.loadCheckpoint.path = ControlCommand.absolute(path) }
      print("the node serves \(reply.checkpointPath): model v\(reply.status.modelVersion) with \(reply.status.classes.count) classes")
    }
  }

  struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fetch the node's current model over the socket and write it here as an HDF5 checkpoint.",
      discussion: "The file holds the network, thresholds and classes (r4ncl eval and export read it); the replay memory stays on the node.")
    @OptionGroup var connection: Connection
    @Option(name: .long, help: "Checkpoint file to write on this machine (atomically).")
    var out: String

    func run() throws {
      let checkpoint = try connection.call { $0.snapshot = R4ncl_V1_SnapshotRequest() }.snapshot.checkpoint
      // The same loaders a node resumes with: a spiking network, else a centroid model.
      let model: any ClassifierModel
      do { model = try SpikingBackend().load(checkpoint) } catch {
        do { model = try CentroidBackend().load(checkpoint) } catch {
          throw CommandFailure("the node's snapshot holds no model this tool can read: \(error)")
        }
      }
      try CheckpointStore.writeAtomically(model, node: checkpoint.node, to: out)
      print("wrote model v\(model.version) of node \(checkpoint.node) (\(model.classes.count) classes) to \(out)")
    }
  }

  struct LearnNow: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "learn-now", abstract: "Start learning the spooled labeled samples now.")
    @OptionGroup var connection: Connection
    @Option(name: .long, parsing: .upToNextOption, help: "Class ids to learn (default: every class with spooled samples).")
    var classes: [Int32] = []

    func run() throws {
      let status = try connection.call { $0.learnNow.classIds = classes }.status
      let what = status.learning.active || status.queues.learningQueue > 0 ? "learning started" : "nothing spooled to learn"
      print("\(what) (model v\(status.modelVersion), \(status.queues.spooledSamples) samples spooled)")
    }
  }

  struct Shutdown: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the node to drain, write a final checkpoint and exit.")
    @OptionGroup var connection: Connection
    @Option(name: .long, help: "Reason, written to the node's log.")
    var reason = "r4ncl control shutdown"

    func run() throws {
      _ = try connection.call { $0.shutdown.reason = reason }
      print("the node is shutting down")
    }
  }

  /// `path` resolved against this process's directory: the node may run elsewhere.
  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}
