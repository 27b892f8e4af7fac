import XCTest
@testable import Learner

final class TrainerTests: XCTestCase {
  /// The "really learns" test: accuracy on held-out synthetic samples rises far above chance.
  func testLearnsSeparableSpikePatterns() throws {
    let train = SyntheticSpikes.dataset(classes: 4, perClass: 24, channels: 48, seed: 1)
    let test = SyntheticSpikes.dataset(classes: 4, perClass: 10, channels: 48, seed: 2)
    let config = NetworkConfig(sizes: [48, 32, 16, 4], timesteps: 20, maxTime: 1.0, seed: 3)
    let trainer = Trainer(network: try Network(config: config), optimizer: OptimizerSettings(kind: .adamax, learningRate: 1e-2), batchSize: 16)
    let before = try trainer.evaluate(test)
    var epochs = 0, batches = 0
    let summaries = try trainer.train(train, epochs: 12) { event in
      switch event {
      case .batch: batches += 1
      case .epoch: epochs += 1
      }
    }
    let after = try trainer.evaluate(test)
    XCTAssertEqual(epochs, 12)
    XCTAssertEqual(batches, 12 * 6)
    XCTAssertLessThan(summaries.last!.meanLoss, summaries.first!.meanLoss)
    XCTAssertGreaterThan(after.accuracy, 0.75, "test accuracy \(after.accuracy), before \(before.accuracy), chance 0.25")
    XCTAssertEqual(after.confusion.flatMap { $0 }.reduce(0, +), 40)
    XCTAssertEqual(after.perClassAccuracy.count, 4)
    let scores = try trainer.predict(test.samples[0])
    XCTAssertEqual(scores.count, 4)
  }

  func testTrainingIsDeterministicAndKeepsThePartialBatch() throws {
    let data = SyntheticSpikes.dataset(classes: 3, perClass: 7, channels: 12, seed: 4)  // 21 = 2 x 8 + 5
    func run() throws -> (Network, Int) {
      let t = Trainer(network: try Network(config: NetworkConfig(sizes: [12, 8, 3], timesteps: 10, seed: 1)), batchSize: 8)
      var sizes: [Int] = []
      try t.train(data, epochs: 2) { if case .batch(let b) = $0 { sizes.append(b.batchSize) } }
      XCTAssertEqual(sizes, [8, 8, 5, 8, 8, 5])
      return (t.network, sizes.count)
    }
    let (a, _) = try run()
    let (b, _) = try run()
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, try Network(config: NetworkConfig(sizes: [12, 8, 3], timesteps: 10, seed: 1)))
  }

  func testFrozenLayersDoNotMove() throws {
    let data = SyntheticSpikes.dataset(classes: 3, perClass: 4, channels: 48, seed: 4)
    let net = try Network(config: NetworkConfig(sizes: [48, 16, 8, 3], timesteps: 20, seed: 1))
    let t = Trainer(network: net, batchSize: 6)
    t.trainable = .above(depth: 1, hiddenLayers: 2)
    try t.train(data, epochs: 1)
    XCTAssertEqual(t.network.layers[0], net.layers[0])
    XCTAssertNotEqual(t.network.layers[1].weight, net.layers[1].weight)
  }
}

final class TrainerSpikeRateTests: XCTestCase {
  /// With one batch per epoch the epoch's forward pass runs the initial weights, so its rates
  /// equal an evaluation pass of those weights.
  func testEpochReportsEachHiddenLayersFiringRate() throws {
    let data = SyntheticSpikes.dataset(classes: 3, perClass: 5, channels: 24, seed: 6)
    let net = try Network(config: NetworkConfig(sizes: [24, 16, 8, 3], timesteps: 12, seed: 2))
    let runner = NetworkRunner(threads: 1)
    _ = try runner.logits(net, .binned(try net.config.binning.bin(data)))
    let expected = runner.lastSpikeRates(net)
    XCTAssertTrue(expected.allSatisfy { ($0 ?? 0) > 0 }, "both layers should fire: \(expected)")

    let t = Trainer(network: net, threads: 2, batchSize: data.count)
    let summary = try XCTUnwrap(try t.train(data, epochs: 1).first)
    XCTAssertEqual(summary.spikeRates.count, 2)
    for (got, want) in zip(summary.spikeRates, expected) { XCTAssertEqual(try XCTUnwrap(got), try XCTUnwrap(want), accuracy: 1e-12) }
    XCTAssertEqual(summary.silentLayers, [])
    XCTAssertNil(summary.silenceWarning)
  }

  /// Replay trains on latents at an injection depth: the frozen layer below did not run and has no rate.
  func testALayerBelowTheInjectionDepthHasNoRate() throws {
    let data = SyntheticSpikes.dataset(classes: 3, perClass: 4, channels: 24, seed: 6)
    let net = try Network(config: NetworkConfig(sizes: [24, 16, 8, 3], timesteps: 12, seed: 2))
    let latents = try NetworkRunner(threads: 1).latents(net, try net.config.binning.bin(data), depth: 1)
    let t = Trainer(network: net, batchSize: 4)
    t.trainable = .above(depth: 1, hiddenLayers: 2)
    let summary = try XCTUnwrap(try t.train(latents: latents, epochs: 1).first)
    XCTAssertNil(summary.spikeRates[0])
    XCTAssertGreaterThan(try XCTUnwrap(summary.spikeRates[1]), 0)
    XCTAssertEqual(summary.silentLayers, [])
    XCTAssertTrue(summary.spikeRatesText.hasPrefix("-/"), summary.spikeRatesText)
  }

  func testASilentLayerIsNamedInTheWarning() throws {
    let data = SyntheticSpikes.dataset(classes: 3, perClass: 4, channels: 24, seed: 6)
    var net = try Network(config: NetworkConfig(sizes: [24, 16, 8, 3], timesteps: 12, seed: 2))
    net.thresholds[1] = 1e6  // layer 2 can never reach its threshold
    let summary = try XCTUnwrap(try Trainer(network: net, batchSize: 4).train(data, epochs: 1).first)
    XCTAssertGreaterThan(try XCTUnwrap(summary.spikeRates[0]), 0)
    XCTAssertEqual(summary.spikeRates[1], 0)
    XCTAssertEqual(summary.silentLayers, [1])
    let warning = try XCTUnwrap(summary.silenceWarning)
    XCTAssertTrue(warning.hasPrefix("epoch 1: hidden layer 2 of 2 fired no spike"), warning)
    XCTAssertTrue(summary.spikeRatesText.hasSuffix("/0.0000"), summary.spikeRatesText)
  }

  /// Why a collapse is for good (issue 7, seed 1 at T = 40): with the last hidden layer silent the
  /// readout stays at 0, every logit's first maximum is out[0] = 0 (the reference's tie rule),
  /// which no parameter reaches, so every gradient is exactly zero and Adamax never moves.
  func testASilentLastLayerGetsNoGradientSoTrainingCannotReviveIt() throws {
    let data = SyntheticSpikes.dataset(classes: 4, perClass: 3, channels: 24, seed: 6)
    var net = try spikingTestNetwork()
    let binned = try net.config.binning.bin(data)
    let runner = NetworkRunner(threads: 1)
    let alive = try runner.gradients(net, .binned(binned))
    XCTAssertTrue(alive.gradients.allSatisfy { $0.matrix.values.contains { $0 != 0 } }, "a firing network has gradients")

    net.thresholds[2] = 1e6
    let trace = try runner.trace(net, .binned(binned))
    XCTAssertTrue(trace.hiddenSpikes[1].contains(1), "the layer below still fires")
    XCTAssertEqual(trace.argmaxTime, [Int](repeating: 0, count: data.count * 4))
    let silent = try runner.gradients(net, .binned(binned))
    XCTAssertEqual(silent.loss, Float(log(4.0)), accuracy: 1e-6)
    for (name, g) in silent.gradients { XCTAssertEqual(g.values.filter { $0 != 0 }.count, 0, name) }

    let before = net
    let trainer = Trainer(network: net, batchSize: 4)
    _ = try trainer.train(data, epochs: 3)
    XCTAssertEqual(trainer.network, before)
  }

  /// Evaluating among some rows predicts the best of those rows (as a node that knows only
  /// those classes): the same as the argmax of the logits restricted to them.
  func testEvaluationAmongRowsPredictsOnlyThoseRows() throws {
    let data = SyntheticSpikes.dataset(classes: 4, perClass: 6, channels: 12, seed: 7)
    let trainer = Trainer(network: try Network(config: NetworkConfig(sizes: [12, 10, 4], timesteps: 10, seed: 2)))
    let all = try trainer.evaluate(data)
    let some = try trainer.evaluate(data, among: [1, 3])
    XCTAssertEqual(Set(some.predictions).subtracting([1, 3]), [])
    for (i, sample) in data.samples.enumerated() {
      let scores = try trainer.predict(sample)
      XCTAssertEqual(some.predictions[i], scores[3] > scores[1] ? 3 : 1, "sample \(i): \(scores)")
    }
    XCTAssertEqual(some.meanLoss, all.meanLoss)  // the loss is over every row either way
    XCTAssertEqual(try trainer.evaluate(data, among: [0, 1, 2, 3]), all)
  }
}
