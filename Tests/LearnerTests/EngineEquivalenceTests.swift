import XCTest
@testable import Learner

/// The engine's execution choices must not change results: event-driven (sparse) versus GEMM
/// (dense) spike products through the whole network, and 1 versus 2 threads with latents, frozen
/// layers, odd batches and batches smaller than the thread count (issue 8).
final class EngineEquivalenceTests: XCTestCase {
  func network() throws -> Network { try spikingTestNetwork() }

  func samples(_ n: Int) -> [BinnedSample] {
    SyntheticSpikes.binned(count: n, timesteps: 16, channels: 24, classes: 4, density: 0.25, seed: 11)
  }

  /// Gradients agree within the float32 tolerance of reference README §1.7 (summation order differs).
  func assertClose(_ a: GradientResult, _ b: GradientResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.gradients.map(\.name), b.gradients.map(\.name), what, file: file, line: line)
    XCTAssertEqual(a.loss, b.loss, accuracy: 1e-6 * abs(a.loss), what, file: file, line: line)
    for ((name, x), (_, y)) in zip(a.gradients, b.gradients) {
      let gmax = x.values.map(abs).max()!
      XCTAssertGreaterThan(gmax, 0, "\(what) \(name) is all zero", file: file, line: line)
      let worst = zip(x.values, y.values).map { abs($0 - $1) / (1e-4 * abs($0) + 1e-5 * gmax) }.max()!
      XCTAssertLessThanOrEqual(worst, 1, "\(what) \(name): max err/bound \(worst)", file: file, line: line)
    }
  }

  func testSparseAndDensePathsAgreeThroughTheWholeNetwork() throws {
    let net = try network(), data = samples(6)
    var traces: [ForwardTrace] = [], grads: [GradientResult] = []
    for density in [0.0, 1.1] {  // 0: every spike product a GEMM; 1.1: every one event-driven
      let runner = NetworkRunner(threads: 1)
      runner.sparseDensity = density
      traces.append(try runner.trace(net, .binned(data)))
      grads.append(try runner.gradients(net, .binned(data)))
    }
    for l in 0..<3 {
      let rate = traces[0].hiddenSpikes[l].reduce(0, +) / Float(traces[0].hiddenSpikes[l].count)
      XCTAssertGreaterThan(rate, 0.01, "hidden \(l + 1) must spike for the test to mean anything")
      XCTAssertEqual(traces[0].hiddenSpikes[l], traces[1].hiddenSpikes[l], "hidden \(l + 1) spike trains")
    }
    assertClose(grads[0], grads[1], "dense vs sparse")
  }

  func testOneAndTwoThreadsAgreeOnLatentsWithFrozenLayers() throws {
    let net = try network()
    let mask = TrainableLayers.above(depth: 2, hiddenLayers: 3)
    let pool = samples(7)
    // A single sample whose loss reaches layer 3 (some samples' logits peak at out[0]: zero gradient).
    let single = try pool.first { s in
      let lat = try NetworkRunner(threads: 1).latents(net, [s], depth: 2)
      let g = try NetworkRunner(threads: 1).gradients(net, .latents(lat), trainable: mask)
      return g.gradients.allSatisfy { $0.matrix.values.contains { $0 != 0 } }
    }
    for data in [[try XCTUnwrap(single)], pool] {  // a batch smaller than the thread count, and an odd split 3 + 4
      let n = data.count
      let latents = try NetworkRunner(threads: 1).latents(net, data, depth: 2)
      let one = try NetworkRunner(threads: 1).gradients(net, .latents(latents), trainable: mask)
      let two = try NetworkRunner(threads: 2).gradients(net, .latents(latents), trainable: mask)
      XCTAssertEqual(one.gradients.map(\.name), ["W3", "V3", "Wout"])
      XCTAssertEqual(one.logits, two.logits, "batch \(n): logits do not depend on the split")
      assertClose(one, two, "batch \(n), 1 vs 2 threads")
      // Latents made on two threads are the same spikes.
      XCTAssertEqual(try NetworkRunner(threads: 2).latents(net, data, depth: 2).map(\.values), latents.map(\.values))
    }
  }

  func testTrainingIsBitIdenticalForAGivenThreadCount() throws {
    func train(threads: Int) throws -> Network {
      let trainer = Trainer(network: try network(), optimizer: OptimizerSettings(kind: .adamax, learningRate: 1e-2), threads: threads)
      let data = samples(9)
      for k in 0..<3 { try trainer.step(.binned(Array(data[(k * 3)..<(k * 3 + 3)]) + data)) }
      return trainer.network
    }
    let a = try train(threads: 2), b = try train(threads: 2), c = try train(threads: 1)
    let start = try network()
    for (name, m) in a.namedParameters {
      XCTAssertEqual(m.values, try b.parameter(name).values, "\(name): same thread count, same bits")
      XCTAssertNotEqual(m.values, try start.parameter(name).values, "\(name) was trained")
      let one = try c.parameter(name).values
      let worst = zip(m.values, one).map { abs($0 - $1) }.max()!
      // Three Adamax steps of lr 1e-2 move a weight by at most ~3e-2; the split changes only rounding.
      XCTAssertLessThan(worst, 1e-4, "\(name): 1 vs 2 threads")
    }
  }
}
