import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl export`: write a model's or checkpoint's network as a NIR graph.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Export a network (NIR graph, HDF5) for snnTorch and Norse.")

  @Option(
    name: [.customLong("model"), .customLong("checkpoint")],
    help: "Model file (r4ncl train, learn --from-model --out) or spiking checkpoint (learn --checkpoints, a node's checkpoint.dir).")
  var model: String
  @Option(help: "Output NIR file (.nir / .h5).")
  var nir: String

  func validate() throws { try OutputPath.checkFile(nir, option: "--nir") }

  func run() throws {
    let file = try NetworkFile.read(URL(fileURLWithPath: model))
    let network = file.model.network
    try NIRExport.write(network, to: URL(fileURLWithPath: nir))
    let edges = NIRExport.edges(network)
    var source = file.format
    if case .string(let method)? = file.model.info["method"], case .string(let phase)? = file.model.info["phase"] {
      source += ", method \(method), phase \(phase)"
    }
    print("wrote \(nir): \(network.hiddenLayerCount) CubaLIF layers, \(edges.count) edges (from \(source))")
    print("input: \(NIRExport.inputDescription(network.config))")
  }
}
