import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl export`: write a checkpoint's network in an interchange format.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Export a checkpoint's network (NIR graph, HDF5) for snnTorch and Norse.")

  @Option(help: "Checkpoint file (.h5) written by r4ncl learn --checkpoints or --cache.")
  var checkpoint: String
  @Option(help: "Output NIR file (.nir / .h5).")
  var nir: String

  func run() throws {
    let c = try CheckpointHDF5.read(URL(fileURLWithPath: checkpoint))
    try NIRExport.write(c.network, to: URL(fileURLWithPath: nir))
    let edges = NIRExport.edges(c.network)
    print("wrote \(nir): \(c.network.hiddenLayerCount) CubaLIF layers, \(edges.count) edges (method \(c.method), phase \(c.phase))")
  }
}
