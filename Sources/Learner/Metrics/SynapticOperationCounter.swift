/// Counts synaptic operations per layer, fed by the network with plain numbers (spike counts,
/// layer sizes, T) so it needs no network type. Spike-driven products count accumulates
/// (presynaptic spikes x fan-out); dense float products and neuron state updates count MACs.
public struct SynapticOperationCounter: Sendable, Equatable, Codable {
  /// Counts per layer name, in the order layers were first seen.
  public private(set) var layers: [LayerOperationCounts] = []

  public init() {}

  /// Totals over all layers.
  public var total: OperationCounts { layers.reduce(.zero) { $0 + $1.counts } }

  /// Counts of `layer` (zero when never seen).
  public func counts(of layer: String) -> OperationCounts {
    layers.first { $0.layer == layer }?.counts ?? .zero
  }

  /// Adds raw counts to `layer`.
  public mutating func add(_ counts: OperationCounts, layer: String) {
    if let i = layers.firstIndex(where: { $0.layer == layer }) {
      layers[i].counts += counts
    } else {
      layers.append(LayerOperationCounts(layer: layer, counts: counts))
    }
  }

  /// Spike-driven synapses: each of `presynapticEvents` spikes adds one weight row of
  /// `fanOut` entries (a binned input count c counts as c events).
  public mutating func addAccumulates(layer: String, presynapticEvents: Int, fanOut: Int) {
    add(OperationCounts(accumulates: presynapticEvents * fanOut), layer: layer)
  }

  /// Dense synapses: `denseInputs` float values (summed over steps and samples), each
  /// multiplied into `fanOut` outputs.
  public mutating func addMACs(layer: String, denseInputs: Int, fanOut: Int) {
    add(OperationCounts(macs: denseInputs * fanOut), layer: layer)
  }

  /// Neuron state updates: `macsPerNeuronStep` MACs per neuron per step per sample (a
  /// current-based LIF does 2: `alpha syn + h` and `beta mem + syn`).
  public mutating func addStateUpdates(layer: String, neurons: Int, steps: Int, samples: Int = 1, macsPerNeuronStep: Int = 2) {
    add(OperationCounts(macs: neurons * steps * samples * macsPerNeuronStep), layer: layer)
  }

  /// Adds every layer of `other`.
  public mutating func merge(_ other: SynapticOperationCounter) {
    for l in other.layers { add(l.counts, layer: l.layer) }
  }

  /// The energy estimate of the counted operations.
  public func energy(model: EnergyModel = .horowitz45nm, measured: EnergyMeasurement? = nil) -> EnergyReport {
    EnergyReport(counts: total, model: model, measured: measured)
  }
}

/// Operation counts of one named layer ("hidden1", "readout", ...).
public struct LayerOperationCounts: Sendable, Equatable, Codable {
  public var layer: String
  public var counts: OperationCounts
}
