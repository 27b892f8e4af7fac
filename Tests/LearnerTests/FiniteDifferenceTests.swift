import XCTest
@testable import Learner

/// The engine's BPTT gradients against central differences of a float64 surrogate-linearised forward.
final class FiniteDifferenceTests: XCTestCase {
  func testEveryParameterMatchesFiniteDifferences() throws {
    let config = NetworkConfig(sizes: [8, 6, 5, 3], recurrent: [true, true], timesteps: 14, thresholds: [1, 0.8], seed: 11)
    var net = try Network(config: config)
    // Larger weights than the default init so every layer spikes in a short run.
    for (name, m) in net.namedParameters {
      try net.setParameter(name, Matrix(rows: m.rows, cols: m.cols, values: m.values.map { $0 * (name == "Wout" ? 10 : 9) }))
    }
    var rng = SeededGenerator(seed: 5)
    let B = 3
    let samples: [BinnedSample] = (0..<B).map { b in
      let dense = (0..<(14 * 8)).map { _ in Float(rng.nextUniform() < 0.3 ? (rng.nextUniform() < 0.3 ? 2 : 1) : 0) }
      return BinnedSample(dense: dense, timesteps: 14, channelCount: 8, label: b % 3)
    }
    let result = try NetworkRunner(threads: 1).gradients(net, .binned(samples))
    let trace = try NetworkRunner(threads: 1).trace(net, .binned(samples))

    let ref = LinearisedReference(
      sizes: config.sizes, recurrent: config.recurrent, T: 14,
      alpha: Double(net.layers[0].parameters.alpha), beta: Double(net.layers[0].parameters.beta),
      thresholds: [1, 0.8], scale: 100, inputs: samples.map { $0.dense().map(Double.init) }, labels: samples.map { $0.label! })
    var params = net.namedParameters.map { $0.matrix.values.map(Double.init) }
    let base = ref.loss(params, base: nil)
    // The float32 engine and the float64 base must see the same spikes, and every layer must spike.
    for l in 0..<2 {
      XCTAssertEqual(trace.hiddenSpikes[l].map(Double.init), base.spikes[l], "hidden \(l + 1) spikes")
      XCTAssertGreaterThan(base.spikes[l].reduce(0, +), 3, "hidden \(l + 1) should spike")
      XCTAssertGreaterThan(base.base.u0[l].map(abs).min()!, 1e-4, "no membrane exactly at threshold")
    }
    XCTAssertEqual(Double(result.loss), base.loss, accuracy: 1e-5 * base.loss)

    let eps = 1e-6
    for (p, name) in net.parameterNames.enumerated() {
      let g = try XCTUnwrap(result.gradient(name)).values
      var fd = [Double](repeating: 0, count: g.count)
      for i in 0..<g.count {
        let keep = params[p][i]
        params[p][i] = keep + eps
        let up = ref.loss(params, base: base.base).loss
        params[p][i] = keep - eps
        let down = ref.loss(params, base: base.base).loss
        params[p][i] = keep
        fd[i] = (up - down) / (2 * eps)
      }
      let gmax = fd.map(abs).max()!
      XCTAssertGreaterThan(gmax, 1e-6, "\(name) has a non-trivial gradient")
      for i in 0..<g.count {
        XCTAssertEqual(Double(g[i]), fd[i], accuracy: 1e-4 * gmax + 1e-3 * abs(fd[i]), "\(name)[\(i)]")
      }
    }
  }
}
