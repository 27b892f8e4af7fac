@testable import Learner

/// A small recurrent network (24-18-14-10 -> 4, T = 16) with weights scaled up so that every
/// layer spikes: engine tests need activity in every layer to mean anything.
func spikingTestNetwork() throws -> Network {
  var net = try Network(config: NetworkConfig(sizes: [24, 18, 14, 10, 4], timesteps: 16, seed: 5))
  for (name, m) in net.namedParameters {
    try net.setParameter(name, Matrix(rows: m.rows, cols: m.cols, values: m.values.map { $0 * 6 }))
  }
  return net
}
