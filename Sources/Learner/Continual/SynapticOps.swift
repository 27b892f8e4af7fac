/// Operation counts of the energy estimate (DESIGN.md §4): accumulates for spike-driven
/// synaptic events, multiply-accumulates for dense work (neuron updates, BPTT products).
public struct SynapticOps: Sendable, Equatable, Codable {
  public var accumulates: Double
  public var macs: Double

  public init(accumulates: Double = 0, macs: Double = 0) {
    self.accumulates = accumulates
    self.macs = macs
  }

  /// 45 nm FP32 energies (Horowitz 2014): 0.9 pJ per add, 4.6 pJ per multiply-add.
  public static let accumulatePicojoules = 0.9
  public static let macPicojoules = 4.6

  /// Estimated energy in joules.
  public var joules: Double { (accumulates * Self.accumulatePicojoules + macs * Self.macPicojoules) * 1e-12 }

  public static func + (a: SynapticOps, b: SynapticOps) -> SynapticOps {
    SynapticOps(accumulates: a.accumulates + b.accumulates, macs: a.macs + b.macs)
  }
  public static func += (a: inout SynapticOps, b: SynapticOps) { a = a + b }

  /// Counts of one batch run from hidden layer `start` on: forward (synaptic events of the
  /// input to `start` (`inputEvents`, 0 when the input is dense currents at d = 0), spikes of
  /// each running layer into the next and into its own recurrence, two state MACs per neuron
  /// and step) and, when `trainable` is given, the backward pass down to the lowest trainable
  /// layer (dense products of BPTT, a scatter for an event-driven input layer).
  public static func batch(
    network: Network, start: Int, batch: Int, inputEvents: Double, inputIsCurrents: Bool,
    spikeCounts: [Double?], trainable: TrainableLayers?
  ) -> SynapticOps {
    let T = Double(network.config.timesteps), B = Double(batch)
    let sizes = network.config.sizes, L = network.hiddenLayerCount, C = Double(network.config.classCount)
    var ops = SynapticOps()
    for l in start..<L {
      let n = Double(sizes[l + 1])
      let inEvents = l == start ? inputEvents : (spikeCounts[l - 1] ?? 0)
      if !(l == start && inputIsCurrents) { ops.accumulates += inEvents * n }
      if network.layers[l].isRecurrent { ops.accumulates += (spikeCounts[l] ?? 0) * n }
      ops.macs += 2 * T * B * n
    }
    ops.accumulates += (spikeCounts[L - 1] ?? 0) * C
    ops.macs += 2 * T * B * C
    guard let trainable = trainable else { return ops }
    let nL = Double(sizes[L])
    ops.macs += 2 * T * B * nL * C
    guard let lowest = (start..<L).first(where: { trainable.hidden[$0] }) else { return ops }
    for l in (lowest..<L).reversed() {
      let n = Double(sizes[l + 1]), nin = Double(sizes[l])
      ops.macs += 3 * T * B * n
      if l == start && inputIsCurrents {
        // W1 is not used (currents given), nothing to accumulate for it.
      } else if l == 0 {
        ops.macs += inputEvents * n
      } else {
        ops.macs += T * B * nin * n
      }
      if network.layers[l].isRecurrent { ops.macs += 2 * T * B * n * n }
      if l > lowest { ops.macs += T * B * n * nin }
    }
    return ops
  }
}
