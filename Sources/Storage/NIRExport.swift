import CHDF5
import Foundation
import Learner

/// Writes a network as a NIR graph (neuromorphs/NIR's HDF5 layout, read by `nir.read` and so
/// by snnTorch and Norse): `/version`, `/node/type = "NIRGraph"`, `/node/nodes/<name>/...`,
/// `/node/edges` (n x 2 strings).
///
/// Graph: input -> [pool ->] w1 (Linear, weight [out][in]) -> lif1 (CubaLIF) -> w2 -> lif2 ... ->
/// wout (Linear) -> syn_out (LI) -> out (LI) -> output, plus v_l (Linear) lif_l -> v_l -> lif_l for
/// recurrent layers. Our discrete update `syn += -(1-alpha) syn + h`, `mem += -(1-beta) mem + syn`
/// maps to NIR's Euler form `tau dx/dt = -x + r * input` with `tau = dt / (1 - decay)` and
/// `r = tau / dt` (input gain 1 per step), CubaLIF's `w_in = tau_syn / dt`, `v_leak = 0`. The
/// readout's filter and leak are two LI nodes in series. A network that sums neighbouring sensor
/// channels (`channelPooling` > 1, e.g. the r4ncl recipe's 700 -> 175) gets that sum as `pool`, a
/// Linear node of 0/1 weights, so the graph's input is the sensor's channels. Binning into
/// `timesteps` steps (one NIR step each) and onset alignment happen before the graph; see
/// `inputDescription`.
public enum NIRExport {
  public static let version = "1.0"

  public static func write(_ network: Network, to url: URL) throws {
    let name = url.path
    // The pool node is a dense inputs × sensor-channels matrix (mostly zeros): bound it as the
    // network's own weights are bounded, before allocating it.
    let c = network.config
    let (poolWeights, overflow) = c.inputCount.multipliedReportingOverflow(by: c.sensorChannelCount)
    if c.channelPooling > 1, overflow || poolWeights > EngineLimits.weights {
      throw CheckpointError.writeFailed(
        file: name,
        detail: "the 'pool' node would hold \(c.inputCount) × \(c.sensorChannelCount) weights, more than \(EngineLimits.weights)")
    }
    do {
      try AtomicFile.write(to: url) { temporary in
        try HDF5Library.serialized {
          let file = try HDF5File.create(temporary)
          try file.writeScalarString("version", version)
          try file.writeScalarString("node/type", "NIRGraph")
          try writeGraph(network, into: file.createGroup("node/nodes"))
          try file.writeStringPairs("node/edges", edges(network))
          try file.close()
        }
      }
    } catch let e as HDF5Error {
      throw CheckpointError.writeFailed(file: name, detail: e.description)
    } catch let e as AtomicFileError {
      throw CheckpointError.writeFailed(file: name, detail: e.description)
    }
  }

  /// Edges in execution order.
  public static func edges(_ network: Network) -> [(String, String)] {
    var e: [(String, String)] = network.config.channelPooling > 1 ? [("input", "pool"), ("pool", "w1")] : [("input", "w1")]
    for l in 1...network.hiddenLayerCount {
      e.append(("w\(l)", "lif\(l)"))
      if network.layers[l - 1].isRecurrent {
        e.append(("lif\(l)", "v\(l)"))
        e.append(("v\(l)", "lif\(l)"))
      }
      e.append(("lif\(l)", l == network.hiddenLayerCount ? "wout" : "w\(l + 1)"))
    }
    e += [("wout", "syn_out"), ("syn_out", "out"), ("out", "output")]
    return e
  }

  static func writeGraph(_ network: Network, into g: HDF5Group) throws {
    let c = network.config
    func transposed(_ m: Matrix) -> ([Float], [Int]) {
      var t = [Float](repeating: 0, count: m.values.count)
      for r in 0..<m.rows { for k in 0..<m.cols { t[k * m.rows + r] = m.values[r * m.cols + k] } }
      return (t, [m.cols, m.rows])
    }
    func linear(_ path: String, _ m: Matrix) throws {
      try g.writeScalarString("\(path)/type", "Linear")
      let (w, shape) = transposed(m)
      try g.write("\(path)/weight", w, shape: shape)
    }
    let tauSyn = c.dt / (1 - exp(-c.dt / c.tauSyn)), tauMem = c.dt / (1 - exp(-c.dt / c.tauMem))
    try g.writeScalarString("input/type", "Input")
    try g.write("input/shape", [Int64(c.sensorChannelCount)])
    if c.channelPooling > 1 {
      // weight[out][in] = 1 where sensor channel `in` is summed into input `out`.
      var pool = [Float](repeating: 0, count: c.inputCount * c.sensorChannelCount)
      for channel in 0..<c.sensorChannelCount { pool[(channel / c.channelPooling) * c.sensorChannelCount + channel] = 1 }
      try g.writeScalarString("pool/type", "Linear")
      try g.write("pool/weight", pool, shape: [c.inputCount, c.sensorChannelCount])
    }
    for (i, layer) in network.layers.enumerated() {
      let l = i + 1, n = layer.outputCount
      try linear("w\(l)", layer.weight)
      if let v = layer.recurrent { try linear("v\(l)", v) }
      let p = "lif\(l)"
      try g.writeScalarString("\(p)/type", "CubaLIF")
      try g.write("\(p)/tau_syn", [Double](repeating: tauSyn, count: n))
      try g.write("\(p)/tau_mem", [Double](repeating: tauMem, count: n))
      try g.write("\(p)/r", [Double](repeating: tauMem / c.dt, count: n))
      try g.write("\(p)/w_in", [Double](repeating: tauSyn / c.dt, count: n))
      try g.write("\(p)/v_leak", [Double](repeating: 0, count: n))
      try g.write("\(p)/v_threshold", [Double](repeating: Double(layer.parameters.threshold), count: n))
    }
    try linear("wout", network.readout.weight)
    let classes = c.classCount
    for (node, tau) in [("syn_out", tauSyn), ("out", tauMem)] {
      try g.writeScalarString("\(node)/type", "LI")
      try g.write("\(node)/tau", [Double](repeating: tau, count: classes))
      try g.write("\(node)/r", [Double](repeating: tau / c.dt, count: classes))
      try g.write("\(node)/v_leak", [Double](repeating: 0, count: classes))
    }
    try g.writeScalarString("output/type", "Output")
    try g.write("output/shape", [Int64(classes)])
  }
}

extension NIRExport {
  /// What a consumer must do to a recorded sample before the graph, in one line: the binning and
  /// the onset alignment, which NIR has no node for.
  public static func inputDescription(_ c: NetworkConfig) -> String {
    var text = "\(c.sensorChannelCount) channels"
    if c.channelPooling > 1 { text += " (summed in groups of \(c.channelPooling) by node 'pool')" }
    text += String(format: "; spike counts in %d bins of %.4g s over %.4g s, one graph step per bin", c.timesteps, c.maxTime / Double(c.timesteps), c.maxTime)
    if let onset = c.onset {
      text += String(format: "; first each sample is shifted in time so that its %.4g-quantile spike time is %.4g s", onset.quantile, onset.lead)
    }
    return text
  }
}

extension HDF5Group {
  /// A scalar fixed-length string dataset (h5py reads `bytes`, as NIR expects for `type`).
  @discardableResult
  func writeScalarString(_ relativePath: String, _ value: String) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let (bytes, size) = HDF5StringIO.fixedBytes([value])
      let type = HDF5Types.fixedString(bytes: size)
      let dataset = try createDataset(relativePath, type: type.id, shape: [])
      try bytes.withUnsafeBytes { buffer in
        try check(H5Dwrite(dataset.id, type.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress), "H5Dwrite (string)", child: relativePath)
      }
      return dataset
    }
  }

  /// An n x 2 fixed-length string dataset (NIR's edge list).
  @discardableResult
  func writeStringPairs(_ relativePath: String, _ pairs: [(String, String)]) throws -> HDF5Dataset {
    try HDF5Library.serialized {
      let (bytes, size) = HDF5StringIO.fixedBytes(pairs.flatMap { [$0.0, $0.1] })
      let type = HDF5Types.fixedString(bytes: size)
      let dataset = try createDataset(relativePath, type: type.id, shape: [pairs.count, 2])
      try bytes.withUnsafeBytes { buffer in
        try check(H5Dwrite(dataset.id, type.id, h5_S_ALL(), h5_S_ALL(), h5_P_DEFAULT(), buffer.baseAddress), "H5Dwrite (edges)", child: relativePath)
      }
      return dataset
    }
  }
}
