import XCTest
@testable import Learner

/// Threads, injection depths, latents and frozen layers of the batch runner.
final class NetworkRunnerTests: XCTestCase {
  func smallNetwork() throws -> Network {
    var net = try Network(config: NetworkConfig(sizes: [30, 20, 16, 12, 5], timesteps: 20, seed: 2))
    for (name, m) in net.namedParameters {
      try net.setParameter(name, Matrix(rows: m.rows, cols: m.cols, values: m.values.map { $0 * 6 }))
    }
    return net
  }

  func samples(_ n: Int = 9) -> [BinnedSample] {
    SyntheticSpikes.binned(count: n, timesteps: 20, channels: 30, classes: 5, density: 0.2, seed: 8)
  }

  func testOneAndTwoThreadsAgree() throws {
    let net = try smallNetwork()
    let one = try NetworkRunner(threads: 1).gradients(net, .binned(samples()))
    let two = try NetworkRunner(threads: 2).gradients(net, .binned(samples()))
    XCTAssertEqual(one.loss, two.loss, accuracy: 1e-6 * one.loss)
    XCTAssertEqual(one.logits, two.logits)
    for ((name, a), (_, b)) in zip(one.gradients, two.gradients) {
      let gmax = a.values.map(abs).max()!
      XCTAssertGreaterThan(gmax, 0, name)
      for i in a.values.indices { XCTAssertEqual(a.values[i], b.values[i], accuracy: 1e-5 * gmax, "\(name)[\(i)]") }
    }
    // Same thread count: bit-identical.
    let again = try NetworkRunner(threads: 2).gradients(net, .binned(samples()))
    XCTAssertTrue(zip(two.gradients, again.gradients).allSatisfy { $0.matrix == $1.matrix })
  }

  func testLatentInjectionMatchesTheFullRun() throws {
    let net = try smallNetwork()
    let runner = NetworkRunner(threads: 2)
    let data = samples()
    let full = try runner.logits(net, .binned(data))
    for depth in 0...3 {
      let latents = try runner.latents(net, data, depth: depth)
      XCTAssertEqual(latents.count, data.count)
      XCTAssertEqual(latents[0].width, depth == 0 ? 20 : [20, 16, 12][depth - 1])
      XCTAssertEqual(latents.map(\.label), data.map(\.label))
      if depth > 0 { XCTAssertTrue(latents[0].values.allSatisfy { $0 == 0 || $0 == 1 }) }
      let fromLatent = try runner.logits(net, .latents(latents))
      for i in full.values.indices { XCTAssertEqual(fromLatent.values[i], full.values[i], accuracy: 1e-5, "depth \(depth)") }

      let mask = TrainableLayers.above(depth: depth, hiddenLayers: 3)
      let a = try runner.gradients(net, .binned(data), trainable: mask)
      let b = try runner.gradients(net, .latents(latents), trainable: mask)
      // Depth 0 injects currents, so W1 has no gradient there; otherwise the same set.
      let expected = net.parameterNames.enumerated().filter { i, name in
        name == "Wout" || (name.first == "V" ? Int(name.dropFirst())! > depth : Int(name.dropFirst())! > max(depth, 1) - (depth == 0 ? 1 : 0))
      }.map(\.1)
      XCTAssertEqual(b.gradients.map(\.name), expected.filter { !(depth == 0 && $0 == "W1") }, "depth \(depth)")
      for (name, g) in b.gradients {
        let ref = try XCTUnwrap(a.gradient(name), name)
        let gmax = ref.values.map(abs).max()!
        for i in g.values.indices { XCTAssertEqual(g.values[i], ref.values[i], accuracy: 1e-5 * gmax + 1e-9, "depth \(depth) \(name)") }
      }
    }
  }

  func testDenseAndEventDrivenSpikeProductsAgree() throws {
    let net = try smallNetwork()
    let data = samples()
    var results: [GradientResult] = []
    for density in [0.0, 1.1] {
      let runner = NetworkRunner(threads: 1)
      runner.sparseDensity = density
      results.append(try runner.gradients(net, .latents(try runner.latents(net, data, depth: 1))))
    }
    XCTAssertEqual(results[0].loss, results[1].loss, accuracy: 1e-6 * results[0].loss)
    for ((name, a), (_, b)) in zip(results[0].gradients, results[1].gradients) {
      let gmax = a.values.map(abs).max()!
      // Summation order differs (GEMM vs row sums): the float32 tolerance of reference README §1.7.
      for i in a.values.indices { XCTAssertEqual(a.values[i], b.values[i], accuracy: 1e-4 * abs(a.values[i]) + 1e-5 * gmax, "\(name)[\(i)]") }
    }
  }

  func testFrozenLayersGetNoGradient() throws {
    let net = try smallNetwork()
    let mask = TrainableLayers(hidden: [false, false, true], readout: false)
    let r = try NetworkRunner(threads: 1).gradients(net, .binned(samples()), trainable: mask)
    XCTAssertEqual(r.gradients.map(\.name), ["W3", "V3"])
  }

  func testMismatchedInputIsAnError() throws {
    let net = try smallNetwork()
    let wrong = SyntheticSpikes.binned(count: 2, timesteps: 10, channels: 30, classes: 5, density: 0.1, seed: 1)
    XCTAssertThrowsError(try NetworkRunner().logits(net, .binned(wrong))) { XCTAssertTrue("\($0)".contains("10 steps")) }
    var unlabeled = samples(2)
    unlabeled[1].label = nil
    XCTAssertThrowsError(try NetworkRunner().gradients(net, .binned(unlabeled))) { XCTAssertTrue("\($0)".contains("no label")) }
  }

  func testMalformedBinnedInputIsAnErrorNotACrash() throws {
    let net = try smallNetwork()
    var outOfRange = samples(2)
    outOfRange[1].channels[outOfRange[1].channels.count - 1] = 30  // one channel past the input layer
    var decreasing = samples(2)
    decreasing[0].stepOffsets[3] = decreasing[0].stepOffsets[4] + 1
    for bad in [outOfRange, decreasing] {
      XCTAssertFalse(bad.allSatisfy(\.isWellFormed))
      XCTAssertThrowsError(try NetworkRunner(threads: 2).logits(net, .binned(bad))) { XCTAssertTrue("\($0)".contains("binned sample"), "\($0)") }
      XCTAssertThrowsError(try NetworkRunner(threads: 1).gradients(net, .binned(bad)))
    }
    XCTAssertTrue(samples().allSatisfy(\.isWellFormed))
  }
}
